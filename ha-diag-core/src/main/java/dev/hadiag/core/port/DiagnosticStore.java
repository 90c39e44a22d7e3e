package dev.hadiag.core.port;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.HeldOpening;
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

    /** Every open alert, of every check. */
    List<OpenAlert> allOpenAlerts();

    Optional<OpenAlert> openAlert(String alertKey);

    /** Records an alert as open (inserting it, or updating the one with its key). */
    void saveOpenAlert(OpenAlert alert);

    /** Forgets an open alert once its resolution is emitted. */
    void closeAlert(String alertKey, Instant resolvedAt);

    /**
     * Records, all at once, the alert events about to be written, each replacing any earlier intent for its
     * alert key. Must be durable when it returns: a crash right after it is what the intents are for.
     */
    void recordIntents(List<AlertIntent> intents);

    /** The intents not yet marked sent (their event may or may not have been written). */
    List<AlertIntent> intents();

    /**
     * The intent's event is written: records its effect (the alert opened, sent again, or closed, with
     * {@code absorbed_by}) and forgets the intent, in one transaction. An opening also ends a {@link HeldOpening} of its
     * key held before the intent's instant, and a resolution ends any of its key: their event is what was held back.
     */
    void markSent(AlertIntent intent);

    // --- held openings (issue #16: silences; shared with the storm guard) ---

    /** Records that an alert's opening event was not written (replacing an earlier record of its key). */
    void holdOpening(HeldOpening held);

    /** The held opening of an alert key, if its opening event is not written. */
    Optional<HeldOpening> heldOpening(String alertKey);

    /** Every held opening, oldest first. */
    List<HeldOpening> heldOpenings();

    /** Forgets a held opening whose alert is gone (nothing is written for it). */
    void releaseOpening(String alertKey);

    /** Forgets the intent for an alert key, if any. */
    void dropIntent(String alertKey);

    /**
     * The key's most recent resolution when it was absorbed by a higher cause and the key has not opened
     * again since.
     */
    Optional<AbsorbedAlert> lastAbsorbed(String alertKey);

    /**
     * When each key of a scope was first seen bad and has been bad since (e.g. scope {@code entity}: since
     * when each entity is unavailable; scope {@code pending}: causes waiting out their minimum duration).
     */
    Map<String, Instant> firstSeen(String scope);

    /** Replaces a scope's first-seen times: keys not given are forgotten (they recovered). */
    void replaceFirstSeen(String scope, Map<String, Instant> firstSeen);

    /** Appends a run to the check history. */
    void recordCheckRun(CheckRun run);

    /**
     * Deletes history (check runs, resolved alerts, intents whose event never got written) older than
     * {@code before}; open alerts are always kept.
     */
    void pruneHistory(Instant before);
}
