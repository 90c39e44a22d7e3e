package dev.hadiag.core.alert;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns each run's findings into alert decisions, per alert key: a cause opens an alert once it has
 * lasted its minimum duration (so a flap emits nothing), an open alert is repeated only after the repeat
 * interval, and an open alert whose cause is gone is resolved with its own correlation id. Creation is
 * suppressed, resolution never: when a higher cause takes over an open alert's entities, the alert is
 * resolved naming the new root, but only once that root's own alert is open, so the problem is never
 * unreported in between. All state lives in the {@link DiagnosticStore}; a restart changes nothing.
 */
public final class AlertLifecycle {

    /** Scope prefix of the store's first-seen times for causes still waiting out their minimum duration. */
    static final String PENDING_SCOPE = "pending:";

    /**
     * @param repeatInterval how long an open alert stays quiet before it is emitted again
     * @param minDuration    how long a cause must last before it opens an alert, per alert type
     */
    public record Settings(Duration repeatInterval, Function<AlertType, Duration> minDuration) {
        public Settings {
            if (repeatInterval == null || repeatInterval.isNegative() || repeatInterval.isZero()) {
                throw new IllegalArgumentException("repeat interval must be positive");
            }
            if (minDuration == null) {
                throw new IllegalArgumentException("minimum durations are required");
            }
        }
    }

    private final DiagnosticStore store;
    private final Settings settings;
    private final Supplier<String> correlationIds;
    private final RunWriter writer;

    public AlertLifecycle(DiagnosticStore store, Settings settings, Supplier<String> correlationIds) {
        this(store, settings, correlationIds, StormGuard.UNLIMITED);
    }

    /** @param stormGuard caps the openings of one type a run writes ({@code alerts.max_events_per_run}) */
    public AlertLifecycle(DiagnosticStore store, Settings settings, Supplier<String> correlationIds, StormGuard stormGuard) {
        this.store = store;
        this.settings = settings;
        this.correlationIds = correlationIds;
        this.writer = new RunWriter(store, stormGuard, correlationIds);
    }

    /**
     * Applies one complete run of {@code check} and records the outcome. Call it only for runs that saw
     * HA: a run skipped because HA is unreachable must not resolve anything.
     */
    public List<AlertDecision> apply(String check, List<Finding> findings, Instant now) {
        return apply(check, findings, List.of(), now, decision -> { });
    }

    /**
     * Applies one complete run of {@code check}. Every decision is first recorded as an intent (all of the
     * run's at once, with their correlation ids), then handed to {@code publish}, then marked sent in the
     * store once {@code publish} returns. When publishing throws, the exception propagates and that decision
     * and the ones after it stay unrecorded, so the next run makes them again, with the same correlation id
     * for an opening: an event may be written twice after a crash, never lost, and never under a second id
     * (the agent's start reconciles intents with the event files, see {@link IntentReconciliation}).
     *
     * @param otherChecksCauses current causes that another check alerts for (a failed config entry is
     *                          {@code system_health}'s alert, yet it explains unavailable entities): they
     *                          never open an alert here, but absorb this check's open alerts once their own
     *                          alert is open
     * @return the decisions published, in order (the storm guard's held ones left out, its own storm decisions in)
     */
    public List<AlertDecision> apply(String check, List<Finding> findings, List<Finding> otherChecksCauses, Instant now,
            Consumer<AlertDecision> publish) {
        Map<String, OpenAlert> open = new LinkedHashMap<>();
        // One read of every open alert, not one query per finding: a big install has hundreds of causes a run.
        Set<String> openElsewhere = new HashSet<>();
        for (OpenAlert alert : store.allOpenAlerts()) {
            if (alert.check().equals(check)) {
                open.put(alert.alertKey(), alert);
            } else {
                openElsewhere.add(alert.alertKey());
            }
        }
        Map<String, String> reservedIds = reservedCorrelationIds(store.intents());
        Map<String, Instant> pending = store.firstSeen(PENDING_SCOPE + check);
        Map<String, Instant> stillPending = new HashMap<>();
        Map<String, Finding> current = new LinkedHashMap<>();
        findings.forEach(finding -> current.putIfAbsent(finding.alertKey(), finding));
        List<AlertDecision> decisions = new ArrayList<>();
        List<AlertIntent> intents = new ArrayList<>();

        for (Finding finding : current.values()) {
            OpenAlert alert = open.get(finding.alertKey());
            if (alert == null && openElsewhere.contains(finding.alertKey())) {
                continue; // another check (or the WebSocket watchdog) has this alert open and owns it
            }
            if (alert != null) {
                OpenAlert updated = new OpenAlert(alert.alertKey(), check, alert.type(), alert.correlationId(),
                        alert.openedAt(), alert.lastSentAt(), finding.entities());
                if (!now.isBefore(alert.lastSentAt().plus(settings.repeatInterval()))) {
                    updated = updated.sentAgain(now);
                    decisions.add(new AlertDecision.Repeat(finding, updated));
                    intents.add(new AlertIntent(AlertIntent.Kind.REPEAT, updated, now, ""));
                } else if (!updated.equals(alert)) {
                    store.saveOpenAlert(updated);
                }
                continue;
            }
            Instant start = earliest(pending.get(finding.alertKey()), finding.since(), now);
            if (!now.isBefore(start.plus(settings.minDuration().apply(finding.type())))) {
                OpenAlert opened = new OpenAlert(finding.alertKey(), check, finding.type(),
                        correlationIdFor(finding, reservedIds), now, now, finding.entities());
                decisions.add(new AlertDecision.Open(finding, opened.correlationId()));
                intents.add(new AlertIntent(AlertIntent.Kind.OPEN, opened, now, ""));
                open.put(opened.alertKey(), opened);
            } else {
                stillPending.put(finding.alertKey(), start);
            }
        }

        List<Finding> causes = new ArrayList<>(current.values());
        causes.addAll(otherChecksCauses);
        for (OpenAlert alert : List.copyOf(open.values())) {
            if (current.containsKey(alert.alertKey()) || alert.type() == AlertType.ALERT_STORM) {
                continue; // a storm is no check's finding: the storm guard resolves it
            }
            Optional<Finding> absorber = absorber(alert, causes);
            if (absorber.isPresent() && !open.containsKey(absorber.get().alertKey())
                    && !openElsewhere.contains(absorber.get().alertKey())) {
                continue; // the higher cause is still waiting out its minimum duration: keep this alert until it opens
            }
            decisions.add(new AlertDecision.Resolve(alert, absorber.map(Finding::alertKey)));
            intents.add(new AlertIntent(AlertIntent.Kind.RESOLVE, alert, now, absorber.map(Finding::alertKey).orElse("")));
        }

        List<AlertDecision> written = writer.write(check, decisions, intents, now, publish);
        // Last: when a publish failed, the causes it opened keep their first-seen times and open at the next run.
        store.replaceFirstSeen(PENDING_SCOPE + check, stillPending);
        return written;
    }

    /**
     * The correlation id of a new opening: the one an unsent intent reserved for the key (its event never
     * made it to disk), else the absorbed alert's when the cause has lasted since before it was absorbed
     * (the same incident showing again under its own key), else a new one.
     */
    private String correlationIdFor(Finding finding, Map<String, String> reservedIds) {
        String reserved = reservedIds.get(finding.alertKey());
        if (reserved != null) {
            return reserved;
        }
        Optional<AbsorbedAlert> absorbed = store.lastAbsorbed(finding.alertKey());
        if (absorbed.isPresent() && !finding.since().isAfter(absorbed.get().resolvedAt())) {
            return absorbed.get().correlationId();
        }
        return correlationIds.get();
    }

    /** The correlation id an unsent opening of {@code alertKey} was given, if there is one. */
    public static Optional<String> reservedCorrelationId(List<AlertIntent> intents, String alertKey) {
        return Optional.ofNullable(reservedCorrelationIds(intents).get(alertKey));
    }

    /** Alert keys whose opening was intended but not marked sent, with the correlation id it was given. */
    static Map<String, String> reservedCorrelationIds(List<AlertIntent> intents) {
        Map<String, String> reserved = new HashMap<>();
        for (AlertIntent intent : intents) {
            if (intent.kind() == AlertIntent.Kind.OPEN) {
                reserved.put(intent.alertKey(), intent.correlationId());
            }
        }
        return reserved;
    }

    /** A current finding that covers every entity of the alert: the problem goes on under a higher cause. */
    private static Optional<Finding> absorber(OpenAlert alert, Iterable<Finding> findings) {
        if (alert.entities().isEmpty()) {
            return Optional.empty();
        }
        for (Finding finding : findings) {
            if (finding.entities().containsAll(alert.entities())) {
                return Optional.of(finding);
            }
        }
        return Optional.empty();
    }

    private static Instant earliest(Instant pendingSince, Instant findingSince, Instant now) {
        Instant start = now;
        if (pendingSince != null && pendingSince.isBefore(start)) {
            start = pendingSince;
        }
        if (findingSince.isBefore(start)) {
            start = findingSince;
        }
        return start;
    }
}
