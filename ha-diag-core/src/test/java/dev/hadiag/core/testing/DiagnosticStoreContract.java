package dev.hadiag.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.port.SilenceStore;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.silence.AlertSubject;
import dev.hadiag.core.silence.NewSilence;
import dev.hadiag.core.silence.Silence;
import dev.hadiag.core.silence.SilenceMatcher;
import dev.hadiag.core.store.HeldOpening;
import dev.hadiag.core.store.RepairAttachment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link DiagnosticStore} must have: run against the in-memory fake and the SQLite store. */
public abstract class DiagnosticStoreContract {

    protected static final Instant T = Instant.parse("2026-06-03T12:00:00.123Z");
    protected DiagnosticStore store;

    /** A fresh, empty store. */
    protected abstract DiagnosticStore newStore() throws Exception;

    /** The runs of {@code check} the store holds, newest first, read however the store allows. */
    protected abstract List<CheckRun> runs(String check) throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected static OpenAlert alert(String key, String check) {
        return new OpenAlert(key, check, AlertType.ENTITY_UNAVAILABLE_LONG, "cid-" + key, T, T, List.of("sensor.a", "sensor.b"));
    }

    @Test
    void an_open_alert_reads_back_whole_and_by_check() {
        store.saveOpenAlert(alert("entity:sensor.a", "unavailable_entities"));
        store.saveOpenAlert(alert("repair:x", "repairs"));
        assertThat(store.openAlert("entity:sensor.a")).contains(alert("entity:sensor.a", "unavailable_entities"));
        assertThat(store.allOpenAlerts()).filteredOn(a -> a.check().equals("unavailable_entities"))
                .containsExactly(alert("entity:sensor.a", "unavailable_entities"));
        assertThat(store.allOpenAlerts()).hasSize(2);
    }

    @Test
    void saving_an_open_alert_again_updates_it() {
        store.saveOpenAlert(alert("k", "c"));
        OpenAlert later = new OpenAlert("k", "c", AlertType.ENTITY_UNAVAILABLE_LONG, "cid-k", T, T.plusSeconds(60), List.of("sensor.z"));
        store.saveOpenAlert(later);
        assertThat(store.allOpenAlerts()).containsExactly(later);
    }

    @Test
    void a_closed_alert_is_gone_and_its_key_can_open_again() {
        store.saveOpenAlert(alert("k", "c"));
        store.closeAlert("k", T.plusSeconds(10));
        assertThat(store.openAlert("k")).isEmpty();
        OpenAlert reopened = new OpenAlert("k", "c", AlertType.ENTITY_UNAVAILABLE_LONG, "cid-2", T.plusSeconds(20), T.plusSeconds(20), List.of());
        store.saveOpenAlert(reopened);
        assertThat(store.openAlert("k")).contains(reopened);
    }

    @Test
    void what_a_run_remembers_is_replaced_per_use_and_kept_apart() {
        store.replaceUnavailableSince(Map.of("sensor.a", T, "sensor.b", T.plusSeconds(1)));
        store.replacePendingCauses("x", Map.of("k", T));
        store.replaceFlapMemory(Map.of("sensor.a", T.plusSeconds(2)));
        store.replaceUnavailableSince(Map.of("sensor.b", T.plusSeconds(1)));
        assertThat(store.unavailableSince()).isEqualTo(Map.of("sensor.b", T.plusSeconds(1)));
        assertThat(store.pendingCauses("x")).isEqualTo(Map.of("k", T));
        assertThat(store.pendingCauses("y")).isEmpty();
        assertThat(store.flapMemory()).isEqualTo(Map.of("sensor.a", T.plusSeconds(2)));
        assertThat(store.repairAttachments()).isEmpty();
        assertThat(store.reconciledThrough()).isEmpty();
    }

    @Test
    void repair_attachments_and_the_reconciliation_mark_read_back() {
        RepairAttachment zha = new RepairAttachment("ha_integration_failed:integration:e1", "zha/some_issue");
        RepairAttachment automation = new RepairAttachment("ha_automation_failing:automation:automation.a", "automation/x_service_not_found");
        store.replaceRepairAttachments(Map.of(zha, T, automation, T.plusSeconds(1)));
        store.replaceRepairAttachments(Map.of(zha, T));
        assertThat(store.repairAttachments()).isEqualTo(Map.of(zha, T));
        store.recordReconciledThrough(T);
        store.recordReconciledThrough(T.plusSeconds(9));
        assertThat(store.reconciledThrough()).contains(T.plusSeconds(9));
    }

    @Test
    void check_history_is_newest_first_and_pruned_by_age_keeping_open_alerts() throws Exception {
        store.recordCheckRun(new CheckRun("heartbeat", T, Duration.ofMillis(12), CheckStatus.OK, 0, ""));
        store.recordCheckRun(new CheckRun("heartbeat", T.plusSeconds(60), Duration.ofMillis(5), CheckStatus.SKIPPED, 0, "HA unreachable"));
        store.recordCheckRun(new CheckRun("repairs", T.plusSeconds(30), Duration.ofMillis(7), CheckStatus.WARNING, 2, ""));
        assertThat(runs("heartbeat")).extracting(CheckRun::status).containsExactly(CheckStatus.SKIPPED, CheckStatus.OK);
        assertThat(runs("heartbeat")).first().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("HA unreachable");
            assertThat(r.duration()).isEqualTo(Duration.ofMillis(5));
        });
        store.saveOpenAlert(alert("k", "heartbeat"));
        store.pruneHistory(T.plusSeconds(45));
        assertThat(runs("heartbeat")).extracting(CheckRun::status).containsExactly(CheckStatus.SKIPPED);
        assertThat(runs("repairs")).isEmpty();
        assertThat(store.openAlert("k")).isPresent();
    }

    private static AlertIntent intent(AlertIntent.Kind kind, OpenAlert alert, String absorbedBy) {
        return new AlertIntent(kind, alert, T.plusSeconds(5), absorbedBy);
    }

    @Test
    void intents_read_back_and_a_new_one_replaces_the_old_one_of_its_key() {
        AlertIntent open = intent(AlertIntent.Kind.OPEN, alert("a", "c"), "");
        store.recordIntents(List.of(open, intent(AlertIntent.Kind.OPEN, alert("b", "c"), "")));
        AlertIntent reopened = new AlertIntent(AlertIntent.Kind.OPEN, alert("a", "c"), T.plusSeconds(9), "");
        store.recordIntents(List.of(reopened));
        assertThat(store.intents()).hasSize(2).contains(reopened).doesNotContain(open);
    }

    @Test
    void marking_an_opening_sent_opens_the_alert_and_forgets_the_intent_in_one_step() {
        AlertIntent open = intent(AlertIntent.Kind.OPEN, alert("a", "c"), "");
        store.recordIntents(List.of(open));
        assertThat(store.openAlert("a")).isEmpty();
        store.markSent(open);
        assertThat(store.openAlert("a")).contains(alert("a", "c"));
        assertThat(store.intents()).isEmpty();
    }

    @Test
    void marking_an_absorbed_resolution_sent_closes_the_alert_and_remembers_what_absorbed_it() {
        store.saveOpenAlert(alert("a", "c"));
        AlertIntent resolve = intent(AlertIntent.Kind.RESOLVE, alert("a", "c"), "integration:zha");
        store.recordIntents(List.of(resolve));
        store.markSent(resolve);
        assertThat(store.openAlert("a")).isEmpty();
        assertThat(store.lastAbsorbed("a")).contains(new AbsorbedAlert("a", "cid-a", T.plusSeconds(5), "integration:zha"));

        store.saveOpenAlert(alert("a", "c"));
        assertThat(store.lastAbsorbed("a")).as("open again: no longer absorbed").isEmpty();
        store.closeAlert("a", T.plusSeconds(60));
        assertThat(store.lastAbsorbed("a")).as("resolved on its own").isEmpty();
    }

    @Test
    void an_intent_replaced_meanwhile_survives_the_older_ones_mark_sent_and_drop_forgets_it() {
        AlertIntent first = intent(AlertIntent.Kind.OPEN, alert("a", "c"), "");
        AlertIntent second = new AlertIntent(AlertIntent.Kind.OPEN, alert("a", "c"), T.plusSeconds(9), "");
        store.recordIntents(List.of(first));
        store.recordIntents(List.of(second));
        store.markSent(first);
        assertThat(store.intents()).containsExactly(second);
        store.dropIntent("a");
        assertThat(store.intents()).isEmpty();
    }

    @Test
    void pruning_forgets_old_intents_whose_event_never_got_written() {
        store.recordIntents(List.of(intent(AlertIntent.Kind.OPEN, alert("a", "c"), "")));
        store.pruneHistory(T.plusSeconds(60));
        assertThat(store.intents()).isEmpty();
    }

    // --- held openings and silences (issue #16) ---

    private static HeldOpening held(String key, java.time.Instant at) {
        Finding finding = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.ENTITY, key, "Sensor " + key),
                "gone", List.of(key), T.minusSeconds(900), Map.of("device", "Garage"));
        return new HeldOpening("unavailable_entities", "cid-" + key, finding, AlertSubject.of(finding), at, HeldOpening.Reason.SILENCE);
    }

    private static OpenAlert alertOf(HeldOpening held) {
        return new OpenAlert(held.alertKey(), held.check(), AlertType.ENTITY_UNAVAILABLE_LONG, held.correlationId(), held.heldAt(),
                held.heldAt(), List.of());
    }

    @Test
    void a_held_opening_reads_back_whole_with_its_subject_and_without_details() {
        HeldOpening held = held("sensor.a", T);
        store.holdOpening(held);
        assertThat(store.heldOpening(held.alertKey())).contains(held);
        assertThat(store.heldOpenings()).containsExactly(held);
        assertThat(store.heldOpening("other")).isEmpty();
        store.releaseOpening(held.alertKey());
        assertThat(store.heldOpenings()).isEmpty();
    }

    @Test
    void a_hold_keeps_who_made_it() {
        HeldOpening silence = held("sensor.a", T);
        HeldOpening storm = new HeldOpening(silence.check(), silence.correlationId(), silence.finding(), silence.subject(), T,
                HeldOpening.Reason.STORM);
        store.holdOpening(storm);
        assertThat(store.heldOpening(silence.alertKey())).contains(storm);
    }

    @Test
    void the_opening_marked_sent_with_the_hold_keeps_it_and_one_marked_sent_later_ends_it() {
        HeldOpening held = held("sensor.a", T);
        AlertIntent withTheHold = new AlertIntent(AlertIntent.Kind.OPEN, alertOf(held), T, "");
        store.recordIntents(List.of(withTheHold));
        store.holdOpening(held);
        store.markSent(withTheHold);
        assertThat(store.heldOpening(held.alertKey())).isPresent();

        AlertIntent release = new AlertIntent(AlertIntent.Kind.OPEN, alertOf(held).sentAgain(T.plusSeconds(60)), T.plusSeconds(60), "");
        store.recordIntents(List.of(release));
        store.markSent(release);
        assertThat(store.heldOpening(held.alertKey())).isEmpty();
    }

    @Test
    void a_resolution_marked_sent_ends_the_hold_of_its_key() {
        HeldOpening held = held("sensor.a", T);
        store.saveOpenAlert(alertOf(held));
        store.holdOpening(held);
        AlertIntent resolve = new AlertIntent(AlertIntent.Kind.RESOLVE, alertOf(held), T.plusSeconds(60), "");
        store.recordIntents(List.of(resolve));
        store.markSent(resolve);
        assertThat(store.heldOpenings()).isEmpty();
    }

    @Test
    void a_silence_reads_back_expires_once_and_remembers_its_announcements() {
        SilenceStore silences = (SilenceStore) store;
        Silence added = silences.addSilence(new NewSilence(List.of(SilenceMatcher.parse("entity=sensor.garage_*"),
                SilenceMatcher.parse("type=ha_*")), T, T.plusSeconds(3600), "batteries", "ken"));
        assertThat(added.id()).isPositive();
        assertThat(silences.silences()).containsExactly(added);
        assertThat(added.matchers()).extracting(SilenceMatcher::toString).containsExactly("entity=sensor.garage_*", "type=ha_*");
        assertThat(added.startAnnounced()).isFalse();

        silences.markSilenceStartAnnounced(added.id());
        Silence expired = silences.expireSilence(added.id(), T.plusSeconds(60)).orElseThrow();
        assertThat(expired.endsAt()).isEqualTo(T.plusSeconds(60));
        assertThat(expired.expiredEarly()).isTrue();
        assertThat(expired.startAnnounced()).isTrue();
        assertThat(silences.expireSilence(added.id(), T.plusSeconds(120)).orElseThrow().endsAt()).as("already over: unchanged")
                .isEqualTo(T.plusSeconds(60));
        assertThat(silences.expireSilence(999, T)).isEmpty();

        silences.markSilenceEndAnnounced(added.id());
        silences.pruneSilences(T.plusSeconds(30));
        assertThat(silences.silences()).hasSize(1);
        silences.pruneSilences(T.plusSeconds(61));
        assertThat(silences.silences()).isEmpty();
    }
}
