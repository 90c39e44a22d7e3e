package dev.hadiag.core.port;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
import java.time.Instant;
import java.util.Collection;
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
     * {@code absorbed_by}) and forgets the intent, in one transaction. An opening also ends a {@link Withheld} record of its
     * key made before the intent's instant, and a resolution ends any of its key: their event is what was withheld.
     */
    void markSent(AlertIntent intent);

    // --- withheld events (the storm guard's, silences', acknowledgements': one record) ---

    /** Records that alerts' events are withheld, all at once, each replacing an earlier record of its key. */
    void withhold(List<Withheld> withheld);

    /** Every withheld record, oldest first. */
    List<Withheld> withheld();

    /** The withheld records of one reason, oldest first (a silence's end reads its own, not a storm's thousands). */
    List<Withheld> withheld(Class<? extends Withheld.Reason> reason);

    /** Forgets the records of these alert keys (their alert is gone, or their opening is written). */
    void forgetWithheld(Collection<String> alertKeys);

    /**
     * Acknowledges the open alert of a key in one step: records {@code Withheld(key, its correlation id, Acknowledged, at)}
     * unless its events are withheld already (then the record stays as it is: an opening nobody was told about is not
     * acknowledged). Safe beside a running agent, as the CLI needs.
     *
     * @return the key's record as it stands now; empty when no alert of that key is open
     */
    Optional<Withheld> acknowledge(String alertKey, Instant at);

    /** Forgets the intent for an alert key, if any. */
    void dropIntent(String alertKey);

    /**
     * The key's most recent resolution when it was absorbed by a higher cause and the key has not opened
     * again since.
     */
    Optional<AbsorbedAlert> lastAbsorbed(String alertKey);

    // --- what a run remembers for the next, one pair per use (a restart of the agent keeps every clock) ---

    /** Since when each entity has been unavailable, as the {@code unavailable_entities} check last saw it: entity id → since. */
    Map<String, Instant> unavailableSince();

    /** Replaces {@link #unavailableSince()}: entities not given recovered. */
    void replaceUnavailableSince(Map<String, Instant> since);

    /** The causes of {@code check} still waiting out their minimum duration: alert key → first seen. */
    Map<String, Instant> pendingCauses(String check);

    /** Replaces {@link #pendingCauses}: causes not given are gone or opened. */
    void replacePendingCauses(String check, Map<String, Instant> pending);

    /** The repair issues attached to open alerts, each with when it was first attached. */
    Map<RepairAttachment, Instant> repairAttachments();

    /** Replaces {@link #repairAttachments()}. */
    void replaceRepairAttachments(Map<RepairAttachment, Instant> attachments);

    /** The flap detector's state as {@code FlapDetector.memory()} writes it, kept across a restart of the agent. */
    Map<String, Instant> flapMemory();

    /** Replaces {@link #flapMemory()}. */
    void replaceFlapMemory(Map<String, Instant> memory);

    /** What the {@code log_errors} check has counted of HA's log, and when each source last logged a new error. */
    LogErrorMemory logErrorMemory();

    /** Replaces {@link #logErrorMemory()}, both parts in one transaction. */
    void replaceLogErrorMemory(LogErrorMemory memory);

    /** The instant up to which the event log was last read to settle unsent intents, if it ever was. */
    Optional<Instant> reconciledThrough();

    /** Records {@link #reconciledThrough()}. */
    void recordReconciledThrough(Instant through);

    /** Appends a run to the check history. */
    void recordCheckRun(CheckRun run);

    /**
     * Deletes history (check runs, resolved alerts, intents whose event never got written) older than
     * {@code before}; open alerts are always kept.
     */
    void pruneHistory(Instant before);
}
