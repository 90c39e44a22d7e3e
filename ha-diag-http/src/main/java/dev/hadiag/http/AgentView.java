package dev.hadiag.http;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventQuery;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.Withheld;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the HTTP API shows of the running agent and may ask it to do. */
public interface AgentView {

    /**
     * One configured check.
     *
     * @param interval how often it runs; for a live check, how often what the stream showed is turned into alerts
     * @param live     it watches the live WebSocket all the time (flapping), so "next run" says nothing about when it looks
     */
    record CheckInfo(String name, boolean enabled, Duration interval, boolean live) {
        /** A check that looks only when it runs. */
        public CheckInfo(String name, boolean enabled, Duration interval) {
            this(name, enabled, interval, false);
        }
    }

    /**
     * Something the agent needs and cannot use right now, e.g. {@code events}: the event directory cannot
     * be written.
     *
     * @param component what fails ({@code events}, {@code store})
     * @param reason    why, as the operating system said it
     * @param since     when it was first seen failing
     */
    record Problem(String component, String reason, Instant since) {
    }

    /** {@link #trigger} while the agent cannot run checks yet (starting) or any more (stopping): a 503, not a failure. */
    final class NotReadyException extends RuntimeException {
        public NotReadyException(String message) {
            super(message);
        }
    }

    String version();

    String node();

    List<CheckInfo> checks();

    /**
     * Runs a check now and returns its report; when the same check is already running, waits for it to
     * finish and then runs.
     *
     * @throws dev.hadiag.core.diagnostics.UnknownCheckException for a name that is not a check
     */
    CheckReport trigger(String check);

    Map<String, CheckReport> lastReports();

    List<OpenAlert> openAlerts();

    boolean webSocketConnected();

    /** What the last heartbeat found, if one ran: HA answered, or not. */
    Optional<Boolean> haReachable();

    /** Since when HA has been in the state the heartbeat last found (as far as this agent has seen), if known. */
    default Optional<Instant> haStateSince() {
        return Optional.empty();
    }

    /** What fails now: while this is not empty, {@code /health} says {@code "status": "failing"}. */
    default List<Problem> problems() {
        return List.of();
    }

    /**
     * The events of the tree since {@code since} (this node's and others'), oldest first, at most {@code limit} of the
     * most recent: the status page's timeline. Implementations read only the days concerned.
     */
    default List<Event> recentEvents(Instant since, int limit) {
        return List.of();
    }

    /** The metrics in the Prometheus text format. */
    String metrics();

    // --- silences (issue #16) ---

    /** Every stored silence, oldest first. */
    default List<Silence> silences() {
        return List.of();
    }

    /**
     * Stores a silence; its start event is written at once.
     *
     * @throws NotReadyException when this agent keeps no silences
     */
    default Silence addSilence(NewSilence silence) {
        throw new NotReadyException("this agent keeps no silences");
    }

    /** Ends a silence now (its end event is written at once); empty when there is none with that id. */
    default Optional<Silence> expireSilence(long id) {
        return Optional.empty();
    }

    // --- what is withheld, and acknowledging (issue #26) ---

    /** Every open alert whose events are withheld, and why. */
    default List<Withheld> withheld() {
        return List.of();
    }

    /** The events of the tree a query selects, oldest first ({@code GET /alerts} reads each alert's last event). */
    default List<Event> events(EventQuery query) {
        return List.of();
    }

    /**
     * Acknowledges an open alert: no repeat is written until it resolves; its resolution is.
     *
     * @return the alert's record; empty when no alert of that key is open
     * @throws NotReadyException when this agent cannot acknowledge
     */
    default Optional<Withheld> acknowledge(String alertKey) {
        throw new NotReadyException("this agent cannot acknowledge alerts");
    }
}
