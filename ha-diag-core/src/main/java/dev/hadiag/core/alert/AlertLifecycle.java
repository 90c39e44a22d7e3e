package dev.hadiag.core.alert;

import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns each run's findings into alert decisions, per alert key: a cause opens an alert once it has
 * lasted its minimum duration (so a flap emits nothing), an open alert is repeated only after the repeat
 * interval, and an open alert whose cause is gone is resolved with its own correlation id. Creation is
 * suppressed, resolution never: when a higher cause takes over an open alert's entities, the alert is
 * resolved naming the new root, but only once that root's own alert is open, so the problem is never
 * unreported in between. All state lives in the {@link DiagnosticStore}; a restart changes nothing.
 */
public final class AlertLifecycle {

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
    private final CorrelationIds correlationIds;

    public AlertLifecycle(DiagnosticStore store, Settings settings, Supplier<String> correlationIds) {
        this.store = store;
        this.settings = settings;
        this.correlationIds = new CorrelationIds(store, correlationIds);
    }

    /**
     * Applies one complete run of {@code check} and records the outcome. Call it only for runs that saw
     * HA: a run skipped because HA is unreachable must not resolve anything.
     */
    public List<AlertDecision> apply(String check, List<Finding> findings, Instant now) {
        return apply(check, findings, List.of(), now, AlertDelivery.recordOnly(store));
    }

    /**
     * Applies one complete run of {@code check} and hands its decisions to {@code delivery}, which records and writes
     * them. When delivering throws, the causes still waiting keep their first-seen times, so nothing is lost: the next
     * run makes the unsent decisions again, with the same correlation id for an opening (never under a second id).
     *
     * @param otherChecksCauses current causes that another check alerts for (a failed config entry is
     *                          {@code system_health}'s alert, yet it explains unavailable entities): they
     *                          never open an alert here, but absorb this check's open alerts once their own
     *                          alert is open
     * @return the decisions written, as {@code delivery} returns them
     */
    public List<AlertDecision> apply(String check, List<Finding> findings, List<Finding> otherChecksCauses, Instant now,
            AlertDelivery delivery) {
        Map<String, OpenAlert> open = new LinkedHashMap<>();
        // One read of every open alert, not one query per finding: a big install has hundreds of causes a run.
        Set<String> openElsewhere = new HashSet<>();
        List<OpenAlert> everyOpen = store.allOpenAlerts();
        for (OpenAlert alert : everyOpen) {
            if (alert.check().equals(check)) {
                open.put(alert.alertKey(), alert);
            } else {
                openElsewhere.add(alert.alertKey());
            }
        }
        Map<String, Finding> current = new LinkedHashMap<>();
        findings.forEach(finding -> current.putIfAbsent(finding.alertKey(), finding));
        List<AlertDecision> entries = new ArrayList<>();
        Map<String, Instant> pending = store.pendingCauses(check);
        Map<String, Instant> stillPending = openOrRepeat(check, current, open, openElsewhere, pending, now, entries);

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
            String absorbingKey = absorber.map(Finding::alertKey).orElse("");
            entries.add(new AlertDecision.Resolve(alert, absorbingKey));
        }

        List<AlertDecision> written = delivery.run(check, entries, everyOpen, now);
        // Last: when delivering failed, the causes it opened keep their first-seen times and open at the next run.
        if (!stillPending.equals(pending)) {
            store.replacePendingCauses(check, stillPending);
        }
        return written;
    }

    /** Adds the openings and repeats of the run's findings to {@code entries}; returns the causes still pending. */
    private Map<String, Instant> openOrRepeat(String check, Map<String, Finding> findings, Map<String, OpenAlert> open,
            Set<String> openElsewhere, Map<String, Instant> pending, Instant now, List<AlertDecision> entries) {
        Map<String, String> reservedIds = correlationIds.reserved();
        Map<String, Instant> stillPending = new HashMap<>();
        for (Map.Entry<String, Finding> keyed : findings.entrySet()) {
            String alertKey = keyed.getKey();
            Finding finding = keyed.getValue();
            OpenAlert alert = open.get(alertKey);
            if (alert == null && openElsewhere.contains(alertKey)) {
                continue; // another check (or the WebSocket watchdog) has this alert open and owns it
            }
            if (alert != null) {
                boolean repeat = !now.isBefore(alert.lastSentAt().plus(settings.repeatInterval()));
                // Only the entities can differ (open holds this check's alerts): most runs change nothing, so nothing is built.
                if (repeat || !alert.entities().equals(finding.entities())) {
                    OpenAlert updated = new OpenAlert(alert.alertKey(), check, alert.type(), alert.correlationId(),
                            alert.openedAt(), alert.lastSentAt(), finding.entities());
                    if (repeat) {
                        updated = updated.sentAgain(now);
                        entries.add(new AlertDecision.Repeat(finding, updated));
                    } else {
                        store.saveOpenAlert(updated);
                    }
                }
                continue;
            }
            Instant start = earliest(pending.get(alertKey), finding.since(), now);
            if (!now.isBefore(start.plus(settings.minDuration().apply(finding.type())))) {
                OpenAlert opened = new OpenAlert(finding.alertKey(), check, finding.type(),
                        correlationIds.forOpening(finding, reservedIds), now, now, finding.entities());
                entries.add(new AlertDecision.Open(finding, opened.correlationId()));
                open.put(opened.alertKey(), opened);
            } else {
                stillPending.put(alertKey, start);
            }
        }
        return stillPending;
    }

    /**
     * Opens an alert for a cause that is reported as an event rather than found by a run (the WebSocket
     * watchdog's verdicts, a token rejected on any path): at once, with no minimum duration and no repeat,
     * unless it is open already, whoever owns it: whoever sees it first opens it, once. Returns whether it opened.
     */
    public boolean open(Finding finding, String owner, Instant at, AlertDelivery delivery) {
        if (store.openAlert(finding.alertKey()).isPresent()) {
            return false;
        }
        delivery.signalled(owner, new AlertDecision.Open(finding, correlationIds.forSignalled(finding.alertKey())), at);
        return true;
    }

    /** Resolves an open alert whose event-reported cause is over (HA seen again); false when none is open. */
    public boolean resolve(String alertKey, Instant at, AlertDelivery delivery) {
        Optional<OpenAlert> open = store.openAlert(alertKey);
        if (open.isEmpty()) {
            return false;
        }
        delivery.signalled(open.get().check(), new AlertDecision.Resolve(open.get(), ""), at);
        return true;
    }

    /** A current finding that covers every entity of the alert: the problem goes on under a higher cause. */
    private static Optional<Finding> absorber(OpenAlert alert, List<Finding> findings) {
        return alert.entities().isEmpty() ? Optional.empty()
                : findings.stream().filter(finding -> finding.entities().containsAll(alert.entities())).findFirst();
    }

    private static Instant earliest(Instant pendingSince, Instant findingSince, Instant now) {
        return Stream.of(pendingSince, findingSince, now).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElseThrow();
    }
}
