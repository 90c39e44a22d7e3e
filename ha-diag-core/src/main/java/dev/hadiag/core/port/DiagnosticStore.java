package dev.hadiag.core.port;

import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's durable memory, so that a restart neither re-sends an open alert nor forgets a resolution
 * nor restarts the clock of something that was already failing. Failures are
 * {@link DiagnosticStoreException}s naming the store.
 */
public interface DiagnosticStore {

    /** The open alerts a check raised. */
    List<OpenAlert> openAlerts(String check);

    /** Every open alert, of every check. */
    List<OpenAlert> allOpenAlerts();

    Optional<OpenAlert> openAlert(String alertKey);

    /** Records an alert as open (inserting it, or updating the one with its key). */
    void saveOpenAlert(OpenAlert alert);

    /** Forgets an open alert once its resolution is emitted. */
    void closeAlert(String alertKey, Instant resolvedAt);

    /**
     * When each key of a scope was first seen bad and has been bad since (e.g. scope {@code entity}: since
     * when each entity is unavailable; scope {@code pending}: causes waiting out their minimum duration).
     */
    Map<String, Instant> firstSeen(String scope);

    /** Replaces a scope's first-seen times: keys not given are forgotten (they recovered). */
    void replaceFirstSeen(String scope, Map<String, Instant> firstSeen);

    /** Appends a run to the check history. */
    void recordCheckRun(CheckRun run);

    /** The most recent runs of a check, newest first. */
    List<CheckRun> recentRuns(String check, int limit);

    /** Deletes history (check runs, resolved alerts) older than {@code before}; open alerts are always kept. */
    void pruneHistory(Instant before);
}
