package dev.hadiag.core.diagnostics;

import dev.hadiag.core.analysis.AlertKey;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.port.EventLog;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The open alerts as an operator reads them ({@code GET /alerts}, {@code ha-diag alerts}, the status page): each with its
 * severity, summary, since and details, and whether a silence covers it, its events are withheld, or it was acknowledged.
 * What an alert says is what its last written event said (what downstream saw), else what its withheld opening would have
 * said, else the latest run's finding, else only its type's default severity: the agent and the CLI, which has no latest
 * run, read the same store and tree and so list the same thing.
 */
public final class AlertListing {

    /** The payload fields every alert event carries, which are no detail of the finding. */
    private static final Set<String> NOT_DETAILS = Set.of("check", "location_tag", "ha_url", "alert_key", "summary", "root_cause",
            "since", "entities", "entity_count", "repeat", "opened_at", "attached_repairs", "held_since");
    /** Events are stamped at the decision's instant; the window absorbs the store's and the file's precisions. */
    private static final Duration WINDOW = Duration.ofSeconds(2);

    /**
     * One open alert as listed.
     *
     * @param details    what the finding carried beyond its summary (HA's error text, the device name, …)
     * @param silencedBy the active silences that cover it, as far as what was written of it tells
     * @param withheldOrNull why its events are withheld ({@code silenced}, {@code storm} or {@code acknowledged}), null if they are not
     */
    public record Listed(OpenAlert alert, Severity severity, String summary, Instant since, Map<String, Object> details,
            List<Silence> silencedBy, Withheld withheldOrNull) {

        public Listed {
            details = Map.copyOf(details);
            silencedBy = List.copyOf(silencedBy);
        }

        /** Why its events are withheld, if they are. */
        public Optional<Withheld> withheld() {
            return Optional.ofNullable(withheldOrNull);
        }

        public boolean acknowledged() {
            return withheld().filter(w -> w.reason() instanceof Withheld.Acknowledged).isPresent();
        }

        /** The name of why its events are withheld, as {@code /alerts} spells it. */
        public Optional<String> heldReason() {
            return withheld().map(w -> reasonName(w.reason()));
        }
    }

    private AlertListing() {
    }

    /** The latest runs' findings by alert key: what each open alert's check found of it last (none for the CLI). */
    public static Map<String, Finding> currentFindings(Collection<CheckReport> reports) {
        Map<String, Finding> byKey = new HashMap<>();
        for (CheckReport report : reports) {
            for (Finding finding : report.findings()) {
                byKey.put(finding.alertKey(), finding);
            }
        }
        return byKey;
    }

    /**
     * The severity an alert is ranked at where no event is read: its check's latest finding (a repair or log errors alert
     * can be raised above its type's default), else its type's default.
     */
    public static Severity severity(OpenAlert alert, Map<String, Finding> current) {
        Finding finding = current.get(alert.alertKey());
        return finding != null ? finding.severity() : alert.type().defaultSeverity();
    }

    public static String reasonName(Withheld.Reason reason) {
        if (reason instanceof Withheld.Silenced) {
            return "silenced";
        }
        return reason instanceof Withheld.Storm ? "storm" : "acknowledged";
    }

    /**
     * @param current the latest run's findings by alert key (empty for the CLI)
     * @param events  the events tree; a tree that cannot be read lists the alerts without what their events said
     */
    public static List<Listed> list(List<OpenAlert> alerts, List<Withheld> withheld, List<Silence> silences, Map<String, Finding> current,
            EventLog events, Instant now) {
        Map<String, Withheld> records = new HashMap<>();
        for (Withheld record : withheld) {
            records.put(record.alertKey(), record);
        }
        List<Listed> listed = new ArrayList<>();
        for (OpenAlert alert : alerts) {
            Withheld record = records.get(alert.alertKey());
            if (record != null && !record.correlationId().equals(alert.correlationId())) {
                record = null; // an earlier incident's: it says nothing of this one
            }
            Optional<Event> written = lastWritten(alert, events);
            Finding finding = written.map(event -> fromEvent(alert, event))
                    .or(() -> Optional.ofNullable(current.get(alert.alertKey())))
                    .orElse(null);
            AlertSubject subject;
            if (finding == null && record != null && record.reason() instanceof Withheld.Silenced silenced) {
                finding = silenced.opening();
                subject = silenced.subject();
            } else if (record != null && record.reason() instanceof Withheld.Silenced silenced) {
                subject = silenced.subject();
            } else {
                subject = finding != null ? AlertSubject.of(finding) : bare(alert);
            }
            List<Silence> covering = silences.stream().filter(s -> s.activeAt(now) && s.matches(subject)).toList();
            Severity severity = finding != null ? finding.severity() : alert.type().defaultSeverity();
            String summary = finding != null ? finding.summary() : "";
            Instant since = finding != null ? finding.since() : alert.openedAt();
            Map<String, Object> details = finding != null ? finding.details() : Map.of();
            if (written.isPresent() && current.containsKey(alert.alertKey())) {
                details = current.get(alert.alertKey()).details(); // the latest run knows more than the event's flattened payload
            }
            listed.add(new Listed(alert, severity, summary, since, details, covering, record));
        }
        return listed;
    }

    /** An alert known only from the store: matched by its type, key and entities. */
    private static AlertSubject bare(OpenAlert alert) {
        Optional<AlertKey> key = AlertKey.parse(alert.alertKey());
        RootCause cause = key.map(k -> new RootCause(k.kind(), k.id(), k.id())).orElse(new RootCause(RootCause.Kind.HA, alert.alertKey(), ""));
        return AlertSubject.of(new Finding(alert.type(), alert.type().defaultSeverity(), cause, "", alert.entities(), alert.openedAt(), Map.of()));
    }

    /**
     * The latest event written for the alert (its opening or a repeat): looked for at its last sending, then at its
     * opening, so only the day directories of those two instants are read, however long the alert is open.
     */
    private static Optional<Event> lastWritten(OpenAlert alert, EventLog events) {
        for (Instant at : List.of(alert.lastSentAt(), alert.openedAt())) {
            EventQuery query = EventQuery.all().withSince(at.minus(WINDOW)).withUntil(at.plus(WINDOW))
                    .withCorrelationIds(Set.of(alert.correlationId())).withTypes(Set.of(alert.type().type()));
            Event last = null;
            try (Stream<Event> found = events.find(query)) {
                for (Event event : (Iterable<Event>) found::iterator) {
                    if (alert.alertKey().equals(event.payload().get("alert_key")) && (last == null || !event.timestamp().isBefore(last.timestamp()))) {
                        last = event;
                    }
                }
            } catch (RuntimeException e) {
                return Optional.empty(); // a tree that cannot be read: the store's view still lists the alert
            }
            if (last != null) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    /** The finding an alert event was written from, as far as its payload tells. */
    static Finding fromEvent(OpenAlert alert, Event event) {
        Map<String, Object> payload = event.payload();
        RootCause cause = AlertKey.parse(alert.alertKey()).map(k -> new RootCause(k.kind(), k.id(), nameOf(payload, k.id())))
                .orElse(new RootCause(RootCause.Kind.HA, alert.alertKey(), ""));
        Instant since = alert.openedAt();
        if (payload.get("since") instanceof String text) {
            try {
                since = Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                // another writer's payload: the store's opening instant stands
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        payload.forEach((name, value) -> {
            if (!NOT_DETAILS.contains(name)) {
                details.put(name, value);
            }
        });
        String summary = payload.get("summary") instanceof String text ? text : "";
        return new Finding(alert.type(), event.severity(), cause, summary, alert.entities(), since, details);
    }

    private static String nameOf(Map<String, Object> payload, String id) {
        return payload.get("root_cause") instanceof Map<?, ?> cause && cause.get("name") instanceof String name ? name : id;
    }
}
