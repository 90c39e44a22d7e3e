package dev.hadiag.http;

import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.event.Event;
import java.time.Instant;
import dev.hadiag.core.store.OpenAlert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the HTTP API shows of the running agent and may ask it to do. */
public interface AgentView {

    /** One configured check. */
    record CheckInfo(String name, boolean enabled, Duration interval) {
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

    /**
     * The events of the tree since {@code since} (this node's and others'), oldest first, at most {@code limit} of the
     * most recent: the status page's timeline. Implementations read only the days concerned.
     */
    default List<Event> recentEvents(Instant since, int limit) {
        return List.of();
    }

    /** The metrics in the Prometheus text format. */
    String metrics();
}
