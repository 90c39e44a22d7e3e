package dev.hadiag.core.testing;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
import java.util.ArrayList;
import java.util.Comparator;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.store.Withheld;
import java.util.Collection;
import dev.hadiag.core.store.RepairAttachment;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link DiagnosticStore} for the pure core's unit tests. */
public final class InMemoryDiagnosticStore implements DiagnosticStore, SilenceStore {

    private final Map<String, OpenAlert> open = new LinkedHashMap<>();
    private final Map<String, Map<String, Instant>> firstSeen = new HashMap<>();
    private final List<CheckRun> runs = new ArrayList<>();
    private final Map<String, AlertIntent> intents = new LinkedHashMap<>();
    private final Map<String, AbsorbedAlert> absorbed = new HashMap<>();
    private final Map<String, Withheld> withheld = new LinkedHashMap<>();
    private int withholdWrites;
    private final Map<Long, Silence> silences = new LinkedHashMap<>();
    private long nextSilenceId = 1;
    private final Map<String, Integer> firstSeenWrites = new HashMap<>();
    private final Map<RepairAttachment, Instant> attachments = new HashMap<>();
    private LogErrorMemory logErrorMemory = LogErrorMemory.EMPTY;

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
        if (open.put(alert.alertKey(), alert) == null) {
            absorbed.remove(alert.alertKey());
        }
    }

    @Override
    public synchronized void closeAlert(String alertKey, Instant resolvedAt) {
        open.remove(alertKey);
        absorbed.remove(alertKey);
    }

    @Override
    public synchronized void recordIntents(List<AlertIntent> values) {
        values.forEach(intent -> intents.put(intent.alertKey(), intent));
    }

    @Override
    public synchronized List<AlertIntent> intents() {
        return List.copyOf(intents.values());
    }

    @Override
    public synchronized void markSent(AlertIntent intent) {
        if (intent.kind() == AlertIntent.Kind.RESOLVE) {
            closeAlert(intent.alertKey(), intent.at());
            if (!intent.absorbedBy().isEmpty()) {
                absorbed.put(intent.alertKey(), new AbsorbedAlert(intent.alertKey(), intent.correlationId(), intent.at(), intent.absorbedBy()));
            }
            withheld.remove(intent.alertKey());
        } else {
            saveOpenAlert(intent.alert());
            if (intent.kind() == AlertIntent.Kind.OPEN) {
                withheld.computeIfPresent(intent.alertKey(), (key, w) -> w.since().isBefore(intent.at()) ? null : w);
            }
        }
        intents.remove(intent.alertKey(), intent);
    }

    @Override
    public synchronized void dropIntent(String alertKey) {
        intents.remove(alertKey);
    }

    @Override
    public synchronized Optional<AbsorbedAlert> lastAbsorbed(String alertKey) {
        return Optional.ofNullable(absorbed.get(alertKey));
    }

    // --- what a run remembers: one map per use, named as the SQLite store names its scopes ---

    private synchronized Map<String, Instant> times(String scope) {
        return Map.copyOf(firstSeen.getOrDefault(scope, Map.of()));
    }

    private synchronized void replaceTimes(String scope, Map<String, Instant> values) {
        firstSeen.put(scope, Map.copyOf(values));
        firstSeenWrites.merge(scope, 1, Integer::sum);
    }

    /**
     * How often one use's times were replaced ({@code entity}, {@code pending:<check>}, …): a warm run
     * with nothing changed should not replace them (issue 19).
     */
    public synchronized int writes(String scope) {
        return firstSeenWrites.getOrDefault(scope, 0);
    }

    @Override
    public Map<String, Instant> unavailableSince() {
        return times("entity");
    }

    @Override
    public void replaceUnavailableSince(Map<String, Instant> since) {
        replaceTimes("entity", since);
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
    public synchronized Map<RepairAttachment, Instant> repairAttachments() {
        return Map.copyOf(attachments);
    }

    @Override
    public synchronized void replaceRepairAttachments(Map<RepairAttachment, Instant> values) {
        attachments.clear();
        attachments.putAll(values);
    }

    @Override
    public Map<String, Instant> flapMemory() {
        return times("flapping");
    }

    @Override
    public void replaceFlapMemory(Map<String, Instant> memory) {
        replaceTimes("flapping", memory);
    }

    @Override
    public synchronized LogErrorMemory logErrorMemory() {
        return logErrorMemory;
    }

    @Override
    public synchronized void replaceLogErrorMemory(LogErrorMemory memory) {
        logErrorMemory = memory;
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
    public synchronized void recordCheckRun(CheckRun run) {
        runs.add(run);
    }

    /** The recorded runs of a check, newest first: the history tests read (the agent only writes it). */
    public synchronized List<CheckRun> recentRuns(String check, int limit) {
        return runs.stream().filter(r -> r.check().equals(check))
                .sorted(Comparator.comparing(CheckRun::startedAt).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized void pruneHistory(Instant before) {
        runs.removeIf(r -> r.startedAt().isBefore(before));
        absorbed.values().removeIf(a -> a.resolvedAt().isBefore(before));
        intents.values().removeIf(i -> i.at().isBefore(before));
    }

    // --- withheld events ---

    @Override
    public synchronized void withhold(List<Withheld> records) {
        for (Withheld record : records) {
            withheld.remove(record.alertKey());
            withheld.put(record.alertKey(), record);
        }
        withholdWrites++;
    }

    @Override
    public synchronized List<Withheld> withheld() {
        return withheld.values().stream().sorted(Comparator.comparing(Withheld::since)).toList();
    }

    @Override
    public synchronized List<Withheld> withheld(Class<? extends Withheld.Reason> reason) {
        return withheld().stream().filter(w -> reason.isInstance(w.reason())).toList();
    }

    @Override
    public synchronized void forgetWithheld(Collection<String> alertKeys) {
        alertKeys.forEach(withheld::remove);
    }

    @Override
    public synchronized Optional<Withheld> acknowledge(String alertKey, Instant at) {
        OpenAlert alert = open.get(alertKey);
        withheld.computeIfPresent(alertKey, (key, w) -> alert != null && w.correlationId().equals(alert.correlationId()) ? w : null);
        if (alert == null) {
            return Optional.empty();
        }
        return Optional.of(withheld.computeIfAbsent(alertKey, key -> new Withheld(key, alert.correlationId(), new Withheld.Acknowledged(), at)));
    }

    /** How often records were withheld: a storm that goes on unchanged should withhold nothing new. */
    public synchronized int withholdWrites() {
        return withholdWrites;
    }

    // --- silences ---

    @Override
    public synchronized Silence addSilence(NewSilence s) {
        Silence silence = new Silence(nextSilenceId++, s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(), false, false, false);
        silences.put(silence.id(), silence);
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
        silences.computeIfPresent(id, (key, s) -> new Silence(s.id(), s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(),
                s.expiredEarly(), true, s.endAnnounced()));
    }

    @Override
    public synchronized void markSilenceEndAnnounced(long id) {
        silences.computeIfPresent(id, (key, s) -> new Silence(s.id(), s.matchers(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(),
                s.expiredEarly(), s.startAnnounced(), true));
    }

    @Override
    public synchronized void pruneSilences(Instant before) {
        silences.values().removeIf(s -> s.endAnnounced() && s.endsAt().isBefore(before));
    }
}
