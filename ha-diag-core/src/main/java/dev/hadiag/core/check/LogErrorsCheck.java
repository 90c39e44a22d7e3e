package dev.hadiag.core.check;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.time.Instant;
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
 * nothing, and an HA restart, which empties HA's log, starts every entry afresh with new first occurrences, so nothing
 * old is counted twice and nothing new is missed). Resolved by {@code ha_log_errors_stopped} once the source has been
 * quiet for the quiet period, measured on the agent's clock from the run that saw its last new error.
 *
 * <p>An integration another alert already blames (its config entry failed, or every entity of it is down; an
 * automation's log under its failing automation's alert) absorbs its log errors: they are counted, never an alert of
 * their own. What HA logs about the agent itself ({@link #OWN_ACTIVITY}) is never counted.
 */
public final class LogErrorsCheck implements Check {

    /** The measure of how many entries HA's log holds now. */
    public static final String ENTRIES_MEASURE = "log_entries";
    /** The measure of how many errors this run counted as new. */
    public static final String NEW_ERRORS_MEASURE = "new_log_errors";

    /**
     * What HA logs because of the agent itself, never counted: a rejected token is a WARNING of
     * {@code homeassistant.components.http.ban} (and of the WebSocket's auth phase), and a command HA fails while
     * handling it an ERROR of {@code homeassistant.components.websocket_api} (docs/checks.md, as measured on both versions).
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
        public static final Settings DEFAULTS = new Settings("ERROR", Duration.ofHours(1), List.of());

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

    /** One source's entries of this run: what it logged, and how many of its errors are new. */
    private record Source(RootCause cause, List<LogEntry> entries, Map<LogEntry, Long> fresh) {
    }

    private final Settings settings;
    private final Globs ignore;
    private final DiagnosticStore store;
    private final boolean automationsChecked;

    /**
     * @param store              where the check keeps what it counted and when each source last logged (across restarts of the agent)
     * @param automationsChecked the {@code automation_failures} check runs: a failing automation's log is its
     *                           {@code ha_automation_failing}, never a second incident here
     */
    public LogErrorsCheck(Settings settings, DiagnosticStore store, boolean automationsChecked) {
        this.settings = settings;
        this.ignore = Globs.of(settings.ignore());
        this.store = Objects.requireNonNull(store, "store");
        this.automationsChecked = automationsChecked;
    }

    @Override
    public String name() {
        return CheckNames.LOG_ERRORS;
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        Instant now = context.now();
        List<LogEntry> log = ha.systemLog();
        LogErrorMemory memory = store.logErrorMemory();
        Map<String, Long> counted = new HashMap<>();
        Map<LogEntry, Long> fresh = new LinkedHashMap<>();
        List<LogEntry> counting = new ArrayList<>();
        for (LogEntry entry : log) {
            long before = memory.counted().getOrDefault(entry.identity(), 0L);
            counted.put(entry.identity(), entry.count());
            if (counts(entry)) {
                counting.add(entry);
                if (entry.count() > before) {
                    fresh.put(entry, entry.count() - before);
                }
            }
        }
        Set<String> failedDomains = fresh.isEmpty() ? Set.of() : failedDomains(store.allOpenAlerts(), ha);
        Map<String, Source> sources = new TreeMap<>();
        for (LogEntry entry : counting) {
            RootCause cause = sourceOf(entry, failedDomains);
            Source source = sources.computeIfAbsent(cause.key(), k -> new Source(cause, new ArrayList<>(), new LinkedHashMap<>()));
            source.entries().add(entry);
            if (fresh.containsKey(entry)) {
                source.fresh().put(entry, fresh.get(entry));
            }
        }

        Map<String, Instant> lastErrorAt = new HashMap<>(memory.lastErrorAt());
        long newErrors = 0;
        long absorbed = 0;
        for (Source source : sources.values()) {
            long errors = source.fresh().values().stream().mapToLong(Long::longValue).sum();
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

        LogErrorMemory next = new LogErrorMemory(counted, lastErrorAt);
        if (!next.equals(memory)) {
            store.replaceLogErrorMemory(next);
        }
        String note = log.size() + " entries in HA's log, " + newErrors + " new " + (settings.minLevel().equals("WARNING") ? "warnings and errors" : "errors")
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
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("logger", entry.logger());
            item.put("level", entry.level());
            item.put("source", entry.source());
            item.put("messages", entry.messages().subList(Math.max(0, entry.messages().size() - MESSAGES_PER_ENTRY), entry.messages().size()));
            item.put("count", entry.count());
            item.put("new", source.fresh().getOrDefault(entry, 0L));
            item.put("first_occurred", entry.firstOccurred().toString());
            item.put("last_occurred", entry.lastOccurred().toString());
            if (!entry.exception().isEmpty()) {
                item.put("exception", lastLines(entry.exception()));
            }
            entries.add(item);
            total += entry.count();
            fresh += source.fresh().getOrDefault(entry, 0L);
            critical |= entry.level().equals("CRITICAL");
            if (source.fresh().containsKey(entry) && entry.firstOccurred().isBefore(since)) {
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
        String last = source.entries().isEmpty() ? "" : source.entries().get(0).lastMessage();
        String summary = (cause.kind() == RootCause.Kind.INTEGRATION ? "Integration " : "Logger ") + cause.id() + " logs errors"
                + (last.isEmpty() ? " (HA's log has been emptied since, by a restart)" : ": " + last);
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
        return new RootCause(RootCause.Kind.fromWire(sourceKey.substring(0, colon)), sourceKey.substring(colon + 1), sourceKey.substring(colon + 1));
    }

    /**
     * The integrations another alert blames, or soon will (root-cause order: a failed config entry explains its errors):
     * a config entry failing now ({@code system_health}'s {@code ha_integration_failed} once it has lasted), or an open
     * integration alert (failed, or every entity down).
     */
    private static Set<String> failedDomains(List<OpenAlert> open, HomeAssistant ha) {
        Set<String> alerted = new HashSet<>();
        for (OpenAlert alert : open) {
            AlertKey.parse(alert.alertKey()).filter(key -> key.kind() == RootCause.Kind.INTEGRATION
                    && (key.type() == AlertType.INTEGRATION_FAILED || key.type() == AlertType.ENTITY_UNAVAILABLE_LONG))
                    .ifPresent(key -> alerted.add(key.id()));
        }
        Set<String> domains = new HashSet<>();
        for (ConfigEntry entry : ha.configEntries()) {
            if (alerted.contains(entry.entryId()) || (entry.disabledBy().isEmpty() && entry.state().isFailing())) {
                domains.add(entry.domain());
            }
        }
        return domains;
    }

    /** The source of an entry: its logger's ({@link #sourceOf(String)}), or for HA's setup loggers the failed integration it names. */
    private static RootCause sourceOf(LogEntry entry, Set<String> failedDomains) {
        if (SETUP_LOGGERS.contains(entry.logger())) {
            for (String domain : failedDomains) {
                if (entry.messages().stream().anyMatch(m -> m.matches("(?s).*\\bfor '?" + Pattern.quote(domain) + "\\b.*"))) {
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
