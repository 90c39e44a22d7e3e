package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.alert.AlertDecision;
import dev.hadiag.core.alert.AlertDelivery;
import dev.hadiag.core.alert.AlertLifecycle;
import dev.hadiag.core.diagnostics.AlertEvents;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RepairAttachmentsTest {

    static final String AUTOMATION = "automation.lights";
    static final String AUTOMATION_KEY = "ha_automation_failing:automation:" + AUTOMATION;

    /** HA's repair for an automation whose action does not exist (both supported versions raise it). */
    static RepairIssue automationRepair() {
        return new RepairIssue("automation", AUTOMATION + "_service_not_found_x.y", "error", false, true, "service_not_found",
                Map.of("entity_id", AUTOMATION, "service", "x.y"), "", T0, "");
    }

    static RepairIssue repair(String domain) {
        return new RepairIssue(domain, "some_issue", "warning", false, false, "", Map.of(), "", T0, "");
    }

    static OpenAlert open(String key) {
        return new OpenAlert(key, "x", AlertType.fromType(key.substring(0, key.indexOf(':'))).orElseThrow(), "c", T0, T0, List.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("an automation's repair joins its open alert", automationRepair(), List.of(AUTOMATION_KEY), AUTOMATION_KEY),
                Arguments.of("no alert open for the automation: its own incident", automationRepair(),
                        List.of("ha_automation_failing:automation:automation.other"), null),
                Arguments.of("an integration's repair joins its failed entry", repair("hue"),
                        List.of("ha_integration_failed:integration:e1"), "ha_integration_failed:integration:e1"),
                Arguments.of("... or its wholly unavailable entities", repair("hue"),
                        List.of("ha_entity_unavailable_long:integration:e1"), "ha_entity_unavailable_long:integration:e1"),
                Arguments.of("the failed entry is preferred", repair("hue"),
                        List.of("ha_entity_unavailable_long:integration:e1", "ha_integration_failed:integration:e1"),
                        "ha_integration_failed:integration:e1"),
                Arguments.of("another integration's alert is not this repair's", repair("zha"),
                        List.of("ha_integration_failed:integration:e1"), null),
                Arguments.of("HA's own repairs join nothing", repair("homeassistant"),
                        List.of("ha_integration_failed:integration:core"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_repair_joins_the_open_alert_of_what_it_is_about(String name, RepairIssue issue, List<String> open, String expected) {
        assertThat(RepairAttachments.alertFor(issue, open.stream().map(RepairAttachmentsTest::open).toList(),
                Map.of("e1", "hue", "core", "homeassistant"))).isEqualTo(Optional.ofNullable(expected));
    }

    final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();

    @Test
    void an_attached_repair_is_no_finding_and_is_recorded_with_the_alert_and_shown_in_the_report_and_its_resolution() {
        store.saveOpenAlert(new OpenAlert(AUTOMATION_KEY, BuiltInCheck.AUTOMATION_FAILURES.wire(), AlertType.AUTOMATION_FAILING, "c1", T0, T0,
                List.of(AUTOMATION)));
        CheckOutcome.Completed outcome = (CheckOutcome.Completed) new RepairsCheck(List.of(), store)
                .run(new FakeHomeAssistant().snapshot(ha().build()).repairs(List.of(automationRepair(), repair("zha"))), CheckContext.at(T0));

        assertThat(outcome.findings()).extracting(f -> f.alertKey()).containsExactly("ha_repair_issue:repair:zha/some_issue");
        assertThat(outcome.measures()).containsEntry(RepairsCheck.ATTACHED_MEASURE, 1L);
        assertThat(outcome.note()).contains("1 attached", AUTOMATION_KEY);
        List<String> attached = RepairsCheck.attachedTo(AUTOMATION_KEY, store.repairAttachments());
        assertThat(attached).containsExactly("automation/" + AUTOMATION + "_service_not_found_x.y");

        AlertEvents events = new AlertEvents("n", "lab", "http://ha", key -> RepairsCheck.attachedTo(key, store.repairAttachments()));
        Event resolution = events.toEvent(BuiltInCheck.AUTOMATION_FAILURES.wire(),
                new AlertDecision.Resolve(store.openAlert(AUTOMATION_KEY).orElseThrow(), ""), T0.plusSeconds(60));
        assertThat(resolution.payload()).containsEntry("attached_repairs", attached);
    }

    @Test
    void a_repair_alert_opened_before_the_automations_alert_is_resolved_as_absorbed_by_it_once_that_opens() {
        AlertLifecycle lifecycle = new AlertLifecycle(store, new AlertLifecycle.Settings(Duration.ofHours(24), t -> Duration.ZERO), () -> "id");
        RepairsCheck check = new RepairsCheck(List.of(), store);
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(ha().build()).repairs(List.of(automationRepair()));
        CheckOutcome.Completed first = (CheckOutcome.Completed) check.run(ha, CheckContext.at(T0));
        assertThat(lifecycle.apply(BuiltInCheck.REPAIRS.wire(), first.findings(), first.otherChecksCauses(), T0, AlertDelivery.recordOnly(store)))
                .singleElement().isInstanceOf(AlertDecision.Open.class);

        store.saveOpenAlert(new OpenAlert(AUTOMATION_KEY, BuiltInCheck.AUTOMATION_FAILURES.wire(), AlertType.AUTOMATION_FAILING, "c1", T0, T0,
                List.of(AUTOMATION)));
        CheckOutcome.Completed second = (CheckOutcome.Completed) check.run(ha, CheckContext.at(T0.plusSeconds(60)));
        assertThat(lifecycle.apply(BuiltInCheck.REPAIRS.wire(), second.findings(), second.otherChecksCauses(), T0.plusSeconds(60), AlertDelivery.recordOnly(store)))
                .singleElement().isInstanceOfSatisfying(AlertDecision.Resolve.class,
                        r -> assertThat(r.absorbedBy()).contains(AUTOMATION_KEY));
    }
}
