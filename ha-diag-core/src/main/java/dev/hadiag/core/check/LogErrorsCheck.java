package dev.hadiag.core.check;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Errors in HA's own log ({@code system_log/list}) that make no entity unavailable: one {@code ha_log_errors} per
 * source, an integration ({@code homeassistant.components.<domain>…}, {@code custom_components.<domain>…}) or else the
 * logger, when it logs errors the check has not counted yet. HA folds repeats into one entry with a count, so "new" is
 * an entry not seen before or a count that grew ({@link LogErrorMemory}, kept in the store: an agent restart repeats
 * nothing, and an HA restart, which empties HA's log, starts every entry afresh with a new first occurrence, so nothing
 * old is counted twice and nothing new is missed). Resolved by {@code ha_log_errors_stopped} once the source has been
 * quiet for the quiet period, measured on the agent's clock from the run that saw its last new error.
 *
 * <p>The very first read of HA's log (the store has never read it) counts only entries HA saw within the quiet period:
 * what HA logged hours before the agent first looked would open an alert only to resolve it at once.
 *
 * <p>An integration another alert already blames (its config entry failing, or every entity of it down) absorbs its log
 * errors: they are counted, never an alert of their own; HA's setup loggers' "Error setting up entry … for demo" go to
 * the failed integration they name. A failing automation's log is its {@code ha_automation_failing} while
 * {@code automation_failures} runs. What HA logs about the agent itself ({@link #OWN_ACTIVITY}) is never counted.
 */
public final class LogErrorsCheck implements Check {

    /** The measure of how many entries HA's log holds now. */
    public static final String ENTRIES_MEASURE = "log_entries";
    /** The measure of how many errors this run counted as new. */
    public static final String NEW_ERRORS_MEASURE = "new_log_errors";

    /**
     * What HA logs because of the agent itself, never counted whatever the settings: a rejected token is a WARNING of
     * {@code homeassistant.components.http.ban} (REST and the WebSocket's auth phase alike), and a command HA fails while
     * handling it is logged by {@code homeassistant.components.websocket_api} (docs/checks.md).
     */
    public static final List<String> OWN_ACTIVITY = List.of("homeassistant.components.http.ban",
            "homeassistant.components.websocket_api", "homeassistant.components.websocket_api.*");

    private static final Globs OWN = Globs.of(OWN_ACTIVITY);
    private static final List<String> LEVELS = List.of("WARNING", "ERROR", "CRITICAL");
    private static final String INTEGRATION_PREFIX = "homeassistant.components.";
    private static final String CUSTOM_PREFIX = "custom_components.";
    private static final int MESSAGES_PER_ENTRY = 5;
    /** A failing automation logs under {@code homeassistant.components.automation.<object_id>}. */
    private static final String AUTOMATION_LOGGER = INTEGRATION_PREFIX + "automation.";
    /** HA's loggers of an integration's setup, whose messages name the integration ("Error setting up entry X for demo"). */
    private static final List<String> SETUP_LOGGERS = List.of("homeassistant.config_entries", "homeassistant.setup");

    /**
     * @param minLevel    the lowest level counted: {@code ERROR} (ERROR and CRITICAL) by default, {@code WARNING} opt-in
     * @param quietPeriod how long a source must log no new error before its alert resolves
     * @param ignore      logger globs never counted, e.g. {@code homeassistant.components.metno*}
     */
    public record Settings(String minLevel, Duration quietPeriod, List<String> ignore) {
        /**
         * What HA logs at every start where libturbojpeg and ffmpeg are missing (HA Core in a venv, the test HA on both
         * versions): an ERROR of each, about performance and a tool nothing may use. Not faults of the install;
         * {@code ignore.loggers: []} reports them.
         */
        public static final List<String> DEFAULT_IGNORED = List.of("homeassistant.components.camera.img_util", "haffmpeg.*");
        public static final Settings DEFAULTS = new Settings("ERROR", Duration.ofHours(1), DEFAULT_IGNORED);

        public Settings {
            minLevel = minLevel == null ? "" : minLevel.toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(minLevel)) {
                throw new IllegalArgumentException("min_level must be warning, error or critical, not '" + minLevel.toLowerCase(Locale.ROOT) + "'");
            }
            if (quietPeriod == null || quietPeriod.isNegative() || quietPeriod.isZero()) {
                throw new IllegalArgumentException("quiet_period must be positive");
            }
            ignore = List.copyOf(ignore);
        }
    }

    /** One source's entries of this run: what it logged, and how many of each entry's errors are new (by identity). */
    private record Source(RootCause cause, List<LogEntry> entries, Map<String, Long> fresh) {
        long freshErrors() {
            return fresh.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Settings settings;
    private final Globs ignore;
    private final DiagnosticStore store;
    private final boolean automationsChecked;

    /**
     * @param store              where the check keeps what it counted and when each source last logged (across restarts)
     * @param automationsChecked the {@code automation_failures} check runs: a failing automation's log is its
     *                           {@code ha_automation_failing}, never a second incident here
     */
    public LogErrorsCheck(Settings settings, DiagnosticStore store, boolean automationsChecked) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ignore = Globs.of(settings.ignore());
        this.store = Objects.requireNonNull(store, "store");
        this.automationsChecked = automationsChecked;
    }

    @Override
    public String name() {
        return BuiltInCheck.HA_LOG_ERRORS.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        // Milliseconds, as the store keeps them: what it reads back then equals what was written, and a quiet run writes nothing.
        Instant now = context.now().truncatedTo(ChronoUnit.MILLIS);
        List<LogEntry> log;
        try {
            log = ha.systemLog();
        } catch (HaProtocolException e) {
            if (e.unknownCommand()) {
                return new CheckOutcome.Skipped("Home Assistant has no system_log integration (system_log/list: unknown_command): nothing to check");
            }
            throw e;
        }
        LogErrorMemory memory = store.logErrorMemory();
        boolean firstRead = memory.lastRead().isEmpty();
        Instant oldNews = now.minus(settings.quietPeriod());
        Map<String, Long> counted = new HashMap<>();
        Map<String, Long> fresh = new HashMap<>();
        List<LogEntry> counting = new ArrayList<>();
        for (LogEntry entry : log) {
            if (!counts(entry)) {
                continue;
            }
            counting.add(entry);
            counted.put(entry.identity(), entry.count());
            long before = memory.counted().getOrDefault(entry.identity(), 0L);
            boolean baseline = firstRead && entry.lastOccurred().isBefore(oldNews);
            if (entry.count() > before && !baseline) {
                fresh.put(entry.identity(), entry.count() - before);
            }
        }
        Set<String> failedDomains = fresh.isEmpty() ? Set.of() : failedDomains(store.allOpenAlerts(), ha.configEntries());
        Map<String, Source> sources = new TreeMap<>();
        for (LogEntry entry : counting) {
            RootCause cause = sourceOf(entry, failedDomains);
            Source source = sources.computeIfAbsent(cause.key(), k -> new Source(cause, new ArrayList<>(), new LinkedHashMap<>()));
            source.entries().add(entry);
            Long errors = fresh.get(entry.identity());
            if (errors != null) {
                source.fresh().put(entry.identity(), errors);
            }
        }

        Map<String, Instant> lastErrorAt = new HashMap<>(memory.lastErrorAt());
        long newErrors = 0;
        long absorbed = 0;
        for (Source source : sources.values()) {
            long errors = source.freshErrors();
            if (errors == 0) {
                continue;
            }
            if (source.cause().kind() == RootCause.Kind.INTEGRATION && failedDomains.contains(source.cause().id())
                    && !lastErrorAt.containsKey(source.cause().key())) {
                absorbed += errors; // the failed integration's alert is the incident: counted, never an alert of its own
                continue;
            }
            newErrors += errors;
            lastErrorAt.put(source.cause().key(), now);
        }
        lastErrorAt.values().removeIf(at -> !now.isBefore(at.plus(settings.quietPeriod())));

        List<Finding> findings = new ArrayList<>();
        new TreeMap<>(lastErrorAt).forEach((sourceKey, at) -> {
            Source source = sources.get(sourceKey);
            findings.add(finding(source != null ? source : new Source(causeOf(sourceKey), List.of(), Map.of()), at, now));
        });

        LogErrorMemory next = new LogErrorMemory(counted, lastErrorAt, now);
        if (!next.counted().equals(memory.counted()) || !next.lastErrorAt().equals(memory.lastErrorAt()) || firstRead) {
            store.replaceLogErrorMemory(next); // readAt alone need not be written every run: only "ever read" matters
        }
        String levels = settings.minLevel().equals("WARNING") ? "warnings and errors" : settings.minLevel().equals("CRITICAL") ? "critical errors" : "errors";
        String note = log.size() + " entries in HA's log, " + newErrors + " new " + levels
                + (absorbed == 0 ? "" : "; " + absorbed + " of failed integrations, left to their alert");
        return new CheckOutcome.Completed(findings, List.of(), note,
                Map.of(ENTRIES_MEASURE, (long) log.size(), NEW_ERRORS_MEASURE, newErrors));
    }

    private Finding finding(Source source, Instant lastNewError, Instant now) {
        List<Map<String, Object>> entries = new ArrayList<>();
        long total = 0;
        long fresh = 0;
        boolean critical = false;
        Instant since = lastNewError;
        for (LogEntry entry : source.entries()) {
            long entryFresh = source.fresh().getOrDefault(entry.identity(), 0L);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("logger", entry.logger());
            item.put("level", entry.level());
            item.put("source", entry.source());
            item.put("messages", entry.messages().subList(Math.max(0, entry.messages().size() - MESSAGES_PER_ENTRY), entry.messages().size()));
            item.put("count", entry.count());
            item.put("new", entryFresh);
            item.put("first_occurred", entry.firstOccurred().toString());
            item.put("last_occurred", entry.lastOccurred().toString());
            if (!entry.exception().isEmpty()) {
                item.put("exception", lastLines(entry.exception()));
            }
            entries.add(item);
            total += entry.count();
            fresh += entryFresh;
            critical |= entry.level().equals("CRITICAL");
            if (entryFresh > 0 && entry.firstOccurred().isBefore(since)) {
                since = entry.firstOccurred();
            }
        }
        RootCause cause = source.cause();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(cause.kind() == RootCause.Kind.INTEGRATION ? "integration" : "logger", cause.id());
        details.put("entries", entries);
        details.put("count", total);
        details.put("new_errors", fresh);
        details.put("last_new_error_seen_at", lastNewError.toString());
        details.put("quiet_period_seconds", settings.quietPeriod().toSeconds());
        String last = source.entries().stream().max((a, b) -> a.lastOccurred().compareTo(b.lastOccurred())).map(LogEntry::lastMessage).orElse("");
        String summary = (cause.kind() == RootCause.Kind.INTEGRATION ? "Integration " : "Logger ") + cause.id() + " logs errors"
                + (source.entries().isEmpty() ? " (HA's log has been emptied since, by a restart)" : last.isEmpty() ? "" : ": " + last);
        return new Finding(AlertType.LOG_ERRORS, critical ? Severity.ERROR : AlertType.LOG_ERRORS.defaultSeverity(), cause, summary,
                List.of(), since.isAfter(now) ? now : since, details);
    }

    /** Whether the entry is of a counted level and of no ignored or agent-caused logger. */
    private boolean counts(LogEntry entry) {
        int level = LEVELS.indexOf(entry.level());
        return level >= LEVELS.indexOf(settings.minLevel()) && !OWN.matchesAny(entry.logger()) && !ignore.matchesAny(entry.logger())
                && !(automationsChecked && entry.logger().startsWith(AUTOMATION_LOGGER));
    }

    /**
     * The source a logger's entries are alerted under: {@code homeassistant.components.<domain>…} and
     * {@code custom_components.<domain>…} are the integration {@code <domain>}; any other logger is itself.
     */
    public static RootCause sourceOf(String logger) {
        for (String prefix : List.of(INTEGRATION_PREFIX, CUSTOM_PREFIX)) {
            if (logger.startsWith(prefix) && logger.length() > prefix.length()) {
                String rest = logger.substring(prefix.length());
                int dot = rest.indexOf('.');
                String domain = dot < 0 ? rest : rest.substring(0, dot);
                if (!domain.isEmpty()) {
                    return new RootCause(RootCause.Kind.INTEGRATION, domain, domain);
                }
            }
        }
        return new RootCause(RootCause.Kind.LOGGER, logger, logger);
    }

    private static RootCause causeOf(String sourceKey) {
        int colon = sourceKey.indexOf(':');
        String id = sourceKey.substring(colon + 1);
        return new RootCause(RootCause.Kind.fromWire(sourceKey.substring(0, colon)), id, id);
    }

    /**
     * The integrations another alert blames, or soon will (root-cause order: a failed config entry explains its errors):
     * a config entry failing now ({@code system_health}'s {@code ha_integration_failed} once it has lasted), or an open
     * integration alert (failed, or every entity down).
     */
    private static Set<String> failedDomains(List<OpenAlert> open, List<ConfigEntry> configEntries) {
        Set<String> alerted = new HashSet<>();
        for (OpenAlert alert : open) {
            AlertKey.parse(alert.alertKey()).filter(key -> key.kind() == RootCause.Kind.INTEGRATION
                    && (key.type() == AlertType.INTEGRATION_FAILED || key.type() == AlertType.ENTITY_UNAVAILABLE_LONG))
                    .ifPresent(key -> alerted.add(key.id()));
        }
        Set<String> domains = new HashSet<>();
        for (ConfigEntry entry : configEntries) {
            if (alerted.contains(entry.entryId()) || (!entry.isDisabled() && entry.state().isFailing())) {
                domains.add(entry.domain());
            }
        }
        return domains;
    }

    /** The source of an entry: its logger's ({@link #sourceOf(String)}), or for HA's setup loggers the failed integration it names. */
    private static RootCause sourceOf(LogEntry entry, Set<String> failedDomains) {
        if (SETUP_LOGGERS.contains(entry.logger())) {
            for (String domain : failedDomains) {
                Pattern named = Pattern.compile("(?s).*\\b(for|up) '?" + Pattern.quote(domain) + "\\b.*");
                if (entry.messages().stream().anyMatch(m -> named.matcher(m).matches())) {
                    return new RootCause(RootCause.Kind.INTEGRATION, domain, domain);
                }
            }
        }
        return sourceOf(entry.logger());
    }

    /** A traceback's last lines: where it failed and why, not the whole stack. */
    private static String lastLines(String exception) {
        String[] lines = exception.strip().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
