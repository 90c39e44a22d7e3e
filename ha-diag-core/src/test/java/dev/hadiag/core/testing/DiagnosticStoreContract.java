package dev.hadiag.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.store.AbsorbedAlert;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.store.CheckRun;
import dev.hadiag.core.store.LogErrorMemory;
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
import dev.hadiag.core.store.RepairAttachment;
import dev.hadiag.core.store.Withheld;
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
    void the_log_error_memory_reads_back_whole_and_is_replaced_whole() {
        assertThat(store.logErrorMemory()).isEqualTo(LogErrorMemory.EMPTY);
        assertThat(store.logErrorMemory().lastRead()).isEmpty();
        LogErrorMemory first = new LogErrorMemory(Map.of("a|x.py:1|ERROR|" + T, 3L, "b|y.py:2|WARNING|" + T, 1L),
                Map.of("integration:demo", T.plusSeconds(5), "logger:haffmpeg.core", T.plusSeconds(6)), T.plusSeconds(7));
        store.replaceLogErrorMemory(first);
        assertThat(store.logErrorMemory()).isEqualTo(first);
        LogErrorMemory second = new LogErrorMemory(Map.of("a|x.py:1|ERROR|" + T, 4L), Map.of(), T.plusSeconds(9));
        store.replaceLogErrorMemory(second);
        assertThat(store.logErrorMemory()).isEqualTo(second);
        assertThat(store.logErrorMemory().lastRead()).contains(T.plusSeconds(9));
        assertThat(store.flapMemory()).isEmpty();
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

    // --- withheld events (issue 25) and silences (issue 16) ---

    private static Withheld silenced(String key, Instant at) {
        Finding finding = new Finding(AlertType.ENTITY_UNAVAILABLE_LONG, Severity.WARNING, new RootCause(RootCause.Kind.ENTITY, key, "Sensor " + key),
                "gone", List.of(key), T.minusSeconds(900), Map.of("device", "Garage"));
        return new Withheld(finding.alertKey(), "cid-" + key, new Withheld.Silenced("unavailable_entities", finding, AlertSubject.of(finding)), at);
    }

    private static OpenAlert alertOf(Withheld withheld) {
        return new OpenAlert(withheld.alertKey(), "unavailable_entities", AlertType.ENTITY_UNAVAILABLE_LONG, withheld.correlationId(),
                withheld.since(), withheld.since(), List.of());
    }

    @Test
    void withheld_records_of_every_reason_read_back_whole_oldest_first_and_are_forgotten_by_key() {
        Withheld silenced = silenced("sensor.a", T.plusSeconds(1));
        Withheld storm = new Withheld("ha_entity_unavailable_long:entity:sensor.b", "cid-b", new Withheld.Storm(), T);
        Withheld acknowledged = new Withheld("ha_integration_failed:integration:e1", "cid-e1", new Withheld.Acknowledged(), T.plusSeconds(2));
        store.withhold(List.of(silenced, storm, acknowledged));
        assertThat(store.withheld()).containsExactly(storm, silenced, acknowledged);
        assertThat(((Withheld.Silenced) store.withheld().get(1).reason()).opening().details()).as("details are not kept").isEmpty();
        assertThat(store.withheld(Withheld.Silenced.class)).containsExactly(silenced);
        assertThat(store.withheld(Withheld.Storm.class)).containsExactly(storm);

        Withheld again = new Withheld(storm.alertKey(), "cid-b2", new Withheld.Storm(), T.plusSeconds(5));
        store.withhold(List.of(again));
        assertThat(store.withheld(Withheld.Storm.class)).as("one record per key").containsExactly(again);
        store.forgetWithheld(List.of(silenced.alertKey(), acknowledged.alertKey()));
        assertThat(store.withheld()).containsExactly(again);
    }

    @Test
    void the_opening_marked_sent_with_the_record_keeps_it_and_one_marked_sent_later_ends_it() {
        Withheld withheld = silenced("sensor.a", T);
        AlertIntent withTheRecord = new AlertIntent(AlertIntent.Kind.OPEN, alertOf(withheld), T, "");
        store.recordIntents(List.of(withTheRecord));
        store.withhold(List.of(withheld));
        store.markSent(withTheRecord);
        assertThat(store.withheld()).containsExactly(withheld);

        AlertIntent repeat = new AlertIntent(AlertIntent.Kind.REPEAT, alertOf(withheld).sentAgain(T.plusSeconds(30)), T.plusSeconds(30), "");
        store.recordIntents(List.of(repeat));
        store.markSent(repeat);
        assertThat(store.withheld()).as("a repeat ends nothing").containsExactly(withheld);

        AlertIntent release = new AlertIntent(AlertIntent.Kind.OPEN, alertOf(withheld).sentAgain(T.plusSeconds(60)), T.plusSeconds(60), "");
        store.recordIntents(List.of(release));
        store.markSent(release);
        assertThat(store.withheld()).isEmpty();
    }

    @Test
    void a_resolution_marked_sent_ends_the_record_of_its_key() {
        Withheld withheld = new Withheld("ha_entity_unavailable_long:entity:sensor.a", "cid-a", new Withheld.Acknowledged(), T);
        store.saveOpenAlert(alertOf(withheld));
        store.withhold(List.of(withheld));
        AlertIntent resolve = new AlertIntent(AlertIntent.Kind.RESOLVE, alertOf(withheld), T.plusSeconds(60), "");
        store.recordIntents(List.of(resolve));
        store.markSent(resolve);
        assertThat(store.withheld()).isEmpty();
    }

    @Test
    void acknowledging_records_an_open_alert_once_and_leaves_a_withheld_opening_as_it_is() {
        OpenAlert alert = alert("ha_entity_unavailable_long:entity:sensor.a", "unavailable_entities");
        store.saveOpenAlert(alert);
        Withheld acknowledged = new Withheld(alert.alertKey(), alert.correlationId(), new Withheld.Acknowledged(), T);
        assertThat(store.acknowledge(alert.alertKey(), T)).contains(acknowledged);
        assertThat(store.acknowledge(alert.alertKey(), T.plusSeconds(60))).as("once").contains(acknowledged);
        assertThat(store.acknowledge("ha_entity_unavailable_long:entity:none", T)).isEmpty();

        Withheld silenced = silenced("sensor.b", T);
        store.saveOpenAlert(alertOf(silenced));
        store.withhold(List.of(silenced));
        assertThat(store.acknowledge(silenced.alertKey(), T.plusSeconds(1))).contains(silenced);

        OpenAlert again = new OpenAlert("ha_integration_failed:integration:e1", "system_health", AlertType.INTEGRATION_FAILED, "cid-2", T, T,
                List.of());
        store.saveOpenAlert(again);
        store.withhold(List.of(new Withheld(again.alertKey(), "cid-1", new Withheld.Storm(), T)));
        assertThat(store.acknowledge(again.alertKey(), T.plusSeconds(2))).as("another incident's record is no record of this one")
                .contains(new Withheld(again.alertKey(), "cid-2", new Withheld.Acknowledged(), T.plusSeconds(2)));
        assertThat(store.withheld()).containsExactlyInAnyOrder(acknowledged, silenced,
                new Withheld(again.alertKey(), "cid-2", new Withheld.Acknowledged(), T.plusSeconds(2)));
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
