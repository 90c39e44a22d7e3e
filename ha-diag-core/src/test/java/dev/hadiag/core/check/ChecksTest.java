package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.HaSnapshot;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChecksTest {

    private static final CheckContext NOW = CheckContext.at(T0);

    private static List<Finding> findings(Check check, FakeHomeAssistant ha) {
        CheckOutcome outcome = check.run(ha, NOW);
        assertThat(outcome).isInstanceOf(CheckOutcome.Completed.class);
        return ((CheckOutcome.Completed) outcome).findings();
    }

    // --- heartbeat ---

    static Stream<Arguments> heartbeats() {
        return Stream.of(
                Arguments.of("running", new FakeHomeAssistant(), null),
                Arguments.of("starting is not down", new FakeHomeAssistant().coreState(CoreState.STARTING), null),
                Arguments.of("unreachable", new FakeHomeAssistant().fail(new HaUnreachableException("connection refused", null)),
                        AlertType.WEBSOCKET_DEAD),
                Arguments.of("token rejected", new FakeHomeAssistant().fail(new HaUnauthorizedException("401", null)),
                        AlertType.AUTH_FAILED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heartbeats")
    void heartbeat_turns_what_HA_answers_into_at_most_one_HA_wide_cause(String name, FakeHomeAssistant ha, AlertType expected) {
        List<Finding> findings = findings(new HeartbeatCheck(), ha);
        if (expected == null) {
            assertThat(findings).isEmpty();
        } else {
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.type()).isEqualTo(expected);
                assertThat(f.rootCause().kind()).isEqualTo(RootCause.Kind.HA);
            });
        }
    }

    // --- unavailable_entities ---

    @Test
    void unavailable_entities_hands_failed_entries_over_as_another_checks_causes_and_keeps_the_baseline() {
        InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
        HaSnapshot snapshot = Snapshots.ha().entry("hue", "hue", "setup_retry", "Bridge gone").entry("zha", "zha", "loaded")
                .entities(3, "light.hue", "hue", "", "unavailable")
                .entity("sensor.a", "zha", "", "unavailable").entity("sensor.b", "zha", "", "on").build();
        CheckOutcome.Completed outcome = (CheckOutcome.Completed) new UnavailableEntitiesCheck(
                dev.hadiag.core.analysis.UnavailableEntitiesAnalysis.Settings.DEFAULTS, store)
                .run(new FakeHomeAssistant().snapshot(snapshot), NOW);
        assertThat(outcome.findings()).extracting(Finding::alertKey).containsExactly("ha_entity_unavailable_long:entity:sensor.a");
        assertThat(outcome.otherChecksCauses()).extracting(Finding::alertKey).containsExactly("ha_integration_failed:integration:hue");
        assertThat(store.unavailableSince()).containsOnlyKeys(
                "sensor.a", "light.hue_0", "light.hue_1", "light.hue_2");
    }

    @Test
    void unavailable_entities_writes_the_baseline_only_when_it_changed() {
        InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(Snapshots.ha().entry("zha", "zha", "loaded")
                .entity("sensor.a", "zha", "", "unavailable").entity("sensor.b", "zha", "", "on").build());
        UnavailableEntitiesCheck check = new UnavailableEntitiesCheck(
                dev.hadiag.core.analysis.UnavailableEntitiesAnalysis.Settings.DEFAULTS, store);
        check.run(ha, NOW);
        check.run(ha, CheckContext.at(T0.plusSeconds(60)));
        assertThat(store.writes("entity")).as("the second run changed nothing").isEqualTo(1);
        assertThat(store.unavailableSince()).containsExactly(Map.entry("sensor.a", T0));

        check.run(new FakeHomeAssistant().snapshot(Snapshots.ha().entry("zha", "zha", "loaded")
                .entity("sensor.a", "zha", "", "on").entity("sensor.b", "zha", "", "unavailable").build()), CheckContext.at(T0.plusSeconds(120)));
        assertThat(store.writes("entity")).isEqualTo(2);
        assertThat(store.unavailableSince()).containsExactly(Map.entry("sensor.b", T0.plusSeconds(120)));
    }

    // --- system_health ---

    @Test
    void system_health_reports_each_failed_entry_with_HAs_reason_and_its_entities_and_each_degraded_domain() {
        HaSnapshot snapshot = Snapshots.ha().entry("hue", "hue", "setup_retry", "Bridge not reachable")
                .entry("old", "nest", "setup_error", "").entry("ok", "zha", "loaded")
                .entities(500, "light.hue", "hue", "", "unavailable").entity("sensor.z", "zha", "", "on").build();
        SystemHealth health = new SystemHealth(Map.of(
                "cloud", Map.of("can_reach_cert_server", Map.of("type", "failed", "error", "unreachable"), "logged_in", false),
                "homeassistant", Map.of("version", "2024.3.3")));
        List<Finding> findings = findings(new SystemHealthCheck(IgnoreRules.NONE),
                new FakeHomeAssistant().snapshot(snapshot).systemHealth(health));

        assertThat(findings).extracting(Finding::alertKey).containsExactlyInAnyOrder(
                "ha_integration_failed:integration:hue", "ha_integration_failed:integration:old",
                "ha_system_health_degraded:integration:cloud");
        Finding hue = findings.stream().filter(f -> f.rootCause().id().equals("hue")).findFirst().orElseThrow();
        assertThat(hue.entities()).hasSize(500);
        assertThat(hue.details()).containsEntry("reason", "Bridge not reachable");
        Finding cloud = findings.stream().filter(f -> f.type() == AlertType.SYSTEM_HEALTH_DEGRADED).findFirst().orElseThrow();
        assertThat(cloud.details()).containsEntry("failures", Map.of("can_reach_cert_server", "unreachable"));
    }

    @Test
    void system_health_leaves_out_disabled_and_ignored_integrations() {
        HaSnapshot snapshot = Snapshots.ha().entry("hue", "hue", "setup_retry", "x").build();
        IgnoreRules ignoreHue = new IgnoreRules(List.of(), List.of("h*"), List.of(), List.of());
        assertThat(findings(new SystemHealthCheck(ignoreHue), new FakeHomeAssistant().snapshot(snapshot))).isEmpty();
    }

    // --- automation_failures ---

    private static AutomationTrace run(String item, int minute, String execution, String error) {
        Instant start = T0.plus(Duration.ofMinutes(minute));
        return new AutomationTrace(item, "run" + minute, "stopped", execution, start, start.plusSeconds(1), error,
                "action/0", "event 'x'");
    }

    private static HaSnapshot automations(String... idAndState) {
        List<EntityState> states = new ArrayList<>();
        for (int i = 0; i < idAndState.length; i += 2) {
            states.add(new EntityState("automation." + idAndState[i] + "_auto", idAndState[i + 1],
                    Map.of("id", idAndState[i], "friendly_name", "Auto " + idAndState[i]), T0, T0));
        }
        return new HaSnapshot(states, List.of(), List.of(), List.of());
    }

    @Test
    void an_automation_whose_latest_run_failed_is_one_finding_with_HAs_error_and_the_streak() {
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(automations("a1", "on", "a2", "on")).traces(List.of(
                run("a1", 1, "finished", ""), run("a1", 2, "error", "Service x.y not found."), run("a1", 3, "error", "Service x.y not found."),
                run("a2", 1, "error", "boom"), run("a2", 2, "finished", "")));
        List<Finding> findings = findings(new AutomationFailuresCheck(IgnoreRules.NONE), ha);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.alertKey()).isEqualTo("ha_automation_failing:automation:automation.a1_auto");
            assertThat(f.details()).containsEntry("error", "Service x.y not found.").containsEntry("failed_runs_in_a_row", 2);
            assertThat(f.since()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
            assertThat(f.summary()).contains("Auto a1");
        });
    }

    @Test
    void automations_switched_off_ignored_or_still_running_are_not_reported() {
        AutomationTrace running = new AutomationTrace("a3", "r", "running", "", T0.plusSeconds(600), null, "", "", "");
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(automations("a1", "off", "a2", "on", "a3", "on")).traces(List.of(
                run("a1", 1, "error", "boom"), run("a2", 1, "error", "boom"), run("a3", 1, "finished", ""), running));
        IgnoreRules ignoreA2 = new IgnoreRules(List.of("automation.a2_*"), List.of(), List.of(), List.of());
        assertThat(findings(new AutomationFailuresCheck(ignoreA2), ha)).isEmpty();
    }

    // --- updates_available ---

    @Test
    void each_update_entity_that_is_on_is_one_info_finding_with_both_versions() {
        HaSnapshot snapshot = new HaSnapshot(List.of(
                new EntityState("update.fw", "on", Map.of("installed_version", "1.0.0", "latest_version", "1.1.0",
                        "friendly_name", "Firmware"), T0, T0),
                new EntityState("update.core", "off", Map.of("installed_version", "2024.3.3"), T0, T0),
                new EntityState("sensor.on", "on", Map.of(), T0, T0)), List.of(), List.of(), List.of());
        List<Finding> findings = findings(new UpdatesAvailableCheck(IgnoreRules.NONE), new FakeHomeAssistant().snapshot(snapshot));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(AlertType.UPDATE_AVAILABLE);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.details()).containsEntry("installed_version", "1.0.0").containsEntry("latest_version", "1.1.0");
        });
    }

    // --- recorder ---

    static Stream<Arguments> recorders() {
        return Stream.of(
                Arguments.of("healthy", new RecorderInfo(12L, 65000, true, true, false), false),
                Arguments.of("backlog at the threshold", new RecorderInfo(1000L, 65000, true, true, false), false),
                Arguments.of("backlog over the threshold", new RecorderInfo(1001L, 65000, true, true, false), true),
                Arguments.of("not recording", new RecorderInfo(0L, 65000, false, true, false), true),
                Arguments.of("thread dead", new RecorderInfo(0L, 65000, true, false, false), true),
                Arguments.of("migrating", new RecorderInfo(50000L, 65000, true, true, true), false),
                Arguments.of("no recorder", new RecorderInfo(null, 0, false, false, false), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorders")
    void recorder_lags_only_when_its_queue_is_over_the_threshold_or_it_stopped(String name, RecorderInfo info, boolean lags) {
        List<Finding> findings = findings(new RecorderCheck(1000), new FakeHomeAssistant().recorder(info));
        assertThat(findings).hasSize(lags ? 1 : 0);
        findings.forEach(f -> assertThat(f.alertKey()).isEqualTo("ha_recorder_lag:recorder:recorder"));
    }

    // --- repairs ---

    private static RepairIssue issue(String domain, String id, String severity, boolean dismissed) {
        return new RepairIssue(domain, id, severity, dismissed, false, id, Map.of(), "", null, "");
    }

    static Stream<Arguments> repairs() {
        return Stream.of(
                Arguments.of(issue("homeassistant", "python_version", "warning", false), Severity.WARNING),
                Arguments.of(issue("zha", "bad_radio", "error", false), Severity.ERROR),
                Arguments.of(issue("zha", "really_bad", "critical", false), Severity.ERROR),
                Arguments.of(issue("hacs", "unknown_severity", "", false), Severity.WARNING),
                Arguments.of(issue("hue", "dismissed", "error", true), null),
                Arguments.of(issue("mobile_app", "ignored_by_glob", "warning", false), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repairs")
    void repair_issues_are_warnings_unless_HA_says_error_and_dismissed_or_ignored_ones_are_left_out(RepairIssue issue, Severity expected) {
        List<Finding> findings = findings(new RepairsCheck(List.of("mobile_app/*"), new InMemoryDiagnosticStore()), new FakeHomeAssistant().repairs(List.of(issue)));
        if (expected == null) {
            assertThat(findings).isEmpty();
        } else {
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.severity()).isEqualTo(expected);
                assertThat(f.alertKey()).isEqualTo("ha_repair_issue:repair:" + issue.domain() + "/" + issue.issueId());
            });
        }
    }
}
