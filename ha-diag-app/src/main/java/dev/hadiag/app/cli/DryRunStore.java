package dev.hadiag.app.cli;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The store of {@code check --no-emit}: empty at the start, gone at the exit, as the scratch SQLite file it replaces
 * was (that file cost a dry run ~90 ms of CPU for the native library and the migrations, docs/performance.md). It
 * behaves as the SQLite store does (the store contract) and keeps its times to the millisecond, as SQLite's columns
 * do, so that a dry run reports what a run against a fresh database would.
 */
final class DryRunStore implements DiagnosticStore, SilenceStore {

    private static final Comparator<AlertIntent> INTENT_ORDER = Comparator.comparing(AlertIntent::at).thenComparing(AlertIntent::alertKey);
    private static final Comparator<Withheld> WITHHELD_ORDER = Comparator.comparing(Withheld::since).thenComparing(Withheld::alertKey);

    /** By key, in the order each alert opened (a reopened key opens again, last). */
    private final Map<String, OpenAlert> open = new LinkedHashMap<>();
    private final Map<String, AlertIntent> intents = new HashMap<>();
    private final Map<String, AbsorbedAlert> absorbed = new HashMap<>();
    private final Map<String, Withheld> withheld = new HashMap<>();
    /** What a run remembers for the next, by use: "unavailable", "pending:CHECK", "flapping", "reconciled". */
    private final Map<String, Map<String, Instant>> memory = new HashMap<>();
    private final Map<RepairAttachment, Instant> attachments = new HashMap<>();
    private LogErrorMemory logErrors = LogErrorMemory.EMPTY;
    private final List<CheckRun> runs = new ArrayList<>();
    private final TreeMap<Long, Silence> silences = new TreeMap<>();

    @Override
    public synchronized List<OpenAlert> allOpenAlerts() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized Optional<OpenAlert> openAlert(String alertKey) {
        return Optional.ofNullable(open.get(alertKey));
    }

    @Override
    public synchronized void saveOpenAlert(OpenAlert alert) {
        OpenAlert stored = new OpenAlert(alert.alertKey(), alert.check(), alert.type(), alert.correlationId(),
                millis(alert.openedAt()), millis(alert.lastSentAt()), alert.entities());
        if (open.replace(alert.alertKey(), stored) == null) {
            open.put(alert.alertKey(), stored);
            absorbed.remove(alert.alertKey());  // opened again: no longer the absorbed resolution of before
        }
    }

    @Override
    public synchronized void closeAlert(String alertKey, Instant resolvedAt) {
        if (open.remove(alertKey) != null) {
            absorbed.remove(alertKey);
        }
    }

    @Override
    public synchronized void recordIntents(List<AlertIntent> values) {
        values.forEach(intent -> intents.put(intent.alertKey(), intent));
    }

    @Override
    public synchronized List<AlertIntent> intents() {
        return intents.values().stream().sorted(INTENT_ORDER).toList();
    }

    @Override
    public synchronized void markSent(AlertIntent intent) {
        String key = intent.alertKey();
        switch (intent.kind()) {
            case RESOLVE -> {
                boolean wasOpen = open.containsKey(key);
                closeAlert(key, intent.at());
                if (wasOpen && !intent.absorbedBy().isEmpty()) {
                    absorbed.put(key, new AbsorbedAlert(key, intent.correlationId(), intent.at(), intent.absorbedBy()));
                }
                withheld.remove(key);
            }
            case OPEN -> {
                saveOpenAlert(intent.alert());
                Withheld record = withheld.get(key);
                if (record != null && record.since().isBefore(intent.at())) {
                    withheld.remove(key);
                }
            }
            case REPEAT -> saveOpenAlert(intent.alert());
        }
        // the intent of that event, not a newer one recorded for the key since (matched as SQLite's row is)
        intents.computeIfPresent(key, (k, stored) -> stored.kind() == intent.kind() && stored.at().equals(intent.at())
                && stored.correlationId().equals(intent.correlationId()) ? null : stored);
    }

    @Override
    public synchronized void dropIntent(String alertKey) {
        intents.remove(alertKey);
    }

    @Override
    public synchronized Optional<AbsorbedAlert> lastAbsorbed(String alertKey) {
        return Optional.ofNullable(absorbed.get(alertKey));
    }

    @Override
    public synchronized void withhold(List<Withheld> records) {
        records.forEach(record -> withheld.put(record.alertKey(),
                new Withheld(record.alertKey(), record.correlationId(), record.reason(), millis(record.since()))));
    }

    @Override
    public synchronized List<Withheld> withheld() {
        return withheld.values().stream().sorted(WITHHELD_ORDER).toList();
    }

    @Override
    public synchronized List<Withheld> withheld(Class<? extends Withheld.Reason> reason) {
        return withheld().stream().filter(record -> reason.isInstance(record.reason())).toList();
    }

    @Override
    public synchronized void forgetWithheld(Collection<String> alertKeys) {
        alertKeys.forEach(withheld::remove);
    }

    @Override
    public synchronized Optional<Withheld> acknowledge(String alertKey, Instant at) {
        OpenAlert alert = open.get(alertKey);
        Withheld record = withheld.get(alertKey);
        if (record != null && (alert == null || !record.correlationId().equals(alert.correlationId()))) {
            withheld.remove(alertKey);  // a record of an alert that is gone, or of an earlier one of the key
            record = null;
        }
        if (alert == null) {
            return Optional.empty();
        }
        if (record == null) {
            record = new Withheld(alertKey, alert.correlationId(), new Withheld.Acknowledged(), millis(at));
            withheld.put(alertKey, record);
        }
        return Optional.of(record);
    }

    @Override
    public Map<String, Instant> unavailableSince() {
        return times("unavailable");
    }

    @Override
    public void replaceUnavailableSince(Map<String, Instant> since) {
        replaceTimes("unavailable", since);
    }

    @Override
    public Map<String, Instant> pendingCauses(String check) {
        return times("pending:" + check);
    }

    @Override
    public void replacePendingCauses(String check, Map<String, Instant> pending) {
        replaceTimes("pending:" + check, pending);
    }

    @Override
    public Map<String, Instant> flapMemory() {
        return times("flapping");
    }

    @Override
    public void replaceFlapMemory(Map<String, Instant> values) {
        replaceTimes("flapping", values);
    }

    @Override
    public Optional<Instant> reconciledThrough() {
        return Optional.ofNullable(times("reconciled").get("through"));
    }

    @Override
    public void recordReconciledThrough(Instant through) {
        replaceTimes("reconciled", Map.of("through", through));
    }

    @Override
    public synchronized Map<RepairAttachment, Instant> repairAttachments() {
        return Map.copyOf(attachments);
    }

    @Override
    public synchronized void replaceRepairAttachments(Map<RepairAttachment, Instant> values) {
        attachments.clear();
        values.forEach((attachment, at) -> attachments.put(attachment, millis(at)));
    }

    @Override
    public synchronized LogErrorMemory logErrorMemory() {
        return logErrors;
    }

    @Override
    public synchronized void replaceLogErrorMemory(LogErrorMemory values) {
        logErrors = new LogErrorMemory(values.counted(), millisValues(values.lastErrorAt()), millis(values.readAt()));
    }

    @Override
    public synchronized void recordCheckRun(CheckRun run) {
        runs.add(run);
    }

    /** The recorded runs of a check, newest first (nothing in a dry run reads them; the store contract does). */
    synchronized List<CheckRun> runs(String check) {
        return runs.stream().filter(run -> run.check().equals(check))
                .sorted(Comparator.comparing(CheckRun::startedAt).reversed()).toList();
    }

    @Override
    public synchronized void pruneHistory(Instant before) {
        runs.removeIf(run -> run.startedAt().isBefore(before));
        absorbed.values().removeIf(resolution -> resolution.resolvedAt().isBefore(before));
        intents.values().removeIf(intent -> intent.at().isBefore(before));
    }

    @Override
    public synchronized Silence addSilence(NewSilence s) {
        long id = silences.isEmpty() ? 1 : silences.lastKey() + 1;
        Silence silence = new Silence(id, s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(), false, false, false);
        silences.put(id, silence);
        return silence;
    }

    @Override
    public synchronized List<Silence> silences() {
        return List.copyOf(silences.values());
    }

    @Override
    public synchronized Optional<Silence> silence(long id) {
        return Optional.ofNullable(silences.get(id));
    }

    @Override
    public synchronized Optional<Silence> expireSilence(long id, Instant at) {
        return Optional.ofNullable(silences.computeIfPresent(id, (key, s) -> s.endsAt().isAfter(at)
                ? new Silence(s.id(), s.matchers(), s.startsAt(), at, s.comment(), s.createdBy(), true, s.startAnnounced(), s.endAnnounced())
                : s));
    }

    @Override
    public synchronized void markSilenceStartAnnounced(long id) {
        updateSilence(id, s -> new Silence(s.id(), s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(),
                s.expiredEarly(), true, s.endAnnounced()));
    }

    @Override
    public synchronized void markSilenceEndAnnounced(long id) {
        updateSilence(id, s -> new Silence(s.id(), s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(),
                s.expiredEarly(), s.startAnnounced(), true));
    }

    @Override
    public synchronized void pruneSilences(Instant before) {
        silences.values().removeIf(s -> s.endAnnounced() && s.endsAt().isBefore(before));
    }

    private void updateSilence(long id, UnaryOperator<Silence> change) {
        silences.computeIfPresent(id, (key, s) -> change.apply(s));
    }

    private synchronized Map<String, Instant> times(String use) {
        return memory.getOrDefault(use, Map.of());
    }

    private synchronized void replaceTimes(String use, Map<String, Instant> values) {
        memory.put(use, millisValues(values));
    }

    private static Map<String, Instant> millisValues(Map<String, Instant> values) {
        Map<String, Instant> result = new HashMap<>();
        values.forEach((key, at) -> result.put(key, millis(at)));
        return Map.copyOf(result);
    }

    private static Instant millis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }
}
