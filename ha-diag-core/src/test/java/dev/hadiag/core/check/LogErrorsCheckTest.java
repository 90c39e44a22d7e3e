package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import dev.hadiag.core.testing.Snapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogErrorsCheckTest {

    private static final Duration QUIET = Duration.ofHours(1);
    private static final LogErrorsCheck.Settings DEFAULTS = LogErrorsCheck.Settings.DEFAULTS;
    private static final LogErrorsCheck.Settings WARNINGS = new LogErrorsCheck.Settings("warning", QUIET, DEFAULTS.ignore());

    private final InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
    private final FakeHomeAssistant ha = new FakeHomeAssistant();

    static Stream<Arguments> whoIsAlerted() {
        return Stream.of(
                // logger, level, settings → the alerted source's key, or "" for none
                Arguments.of("homeassistant.components.demo", "ERROR", DEFAULTS, "integration:demo"),
                Arguments.of("homeassistant.components.demo.sensor", "CRITICAL", DEFAULTS, "integration:demo"),
                Arguments.of("custom_components.foo.sensor", "ERROR", DEFAULTS, "integration:foo"),
                Arguments.of("somelib.client", "ERROR", DEFAULTS, "logger:somelib.client"),
                Arguments.of("homeassistant.components.demo", "WARNING", DEFAULTS, ""),       // warnings are opt-in
                Arguments.of("homeassistant.components.demo", "WARNING", WARNINGS, "integration:demo"),
                Arguments.of("homeassistant.components.demo", "ERROR",
                        new LogErrorsCheck.Settings("critical", QUIET, List.of()), ""),
                // the agent's own activity: its rejected token (REST and WebSocket), the commands HA fails for it
                Arguments.of("homeassistant.components.http.ban", "WARNING", WARNINGS, ""),
                Arguments.of("homeassistant.components.websocket_api.http.connection", "ERROR", DEFAULTS, ""),
                Arguments.of("homeassistant.components.websocket_api", "ERROR", DEFAULTS, ""),
                // the test HA's noise at every start without libturbojpeg and ffmpeg (2026.11.0), ignored by default
                Arguments.of("homeassistant.components.camera.img_util", "ERROR", DEFAULTS, ""),
                Arguments.of("haffmpeg.core", "ERROR", DEFAULTS, ""),
                Arguments.of("haffmpeg.core", "ERROR", new LogErrorsCheck.Settings("error", QUIET, List.of()), "logger:haffmpeg.core"),
                Arguments.of("homeassistant.components.metno.weather", "ERROR",
                        new LogErrorsCheck.Settings("error", QUIET, List.of("homeassistant.components.metno*")), ""),
                // a failing automation is its ha_automation_failing while automation_failures runs
                Arguments.of("homeassistant.components.automation.garage_door", "ERROR", DEFAULTS, ""),
                // the bootstrap's Python deprecation warning of 2024.3.3 is a warning: not counted by default
                Arguments.of("homeassistant.bootstrap", "WARNING", DEFAULTS, ""));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("whoIsAlerted")
    void anEntryOpensAnAlertForItsIntegrationElseItsLoggerUnlessItIsIgnoredOrTheAgentsOwn(String logger, String level,
            LogErrorsCheck.Settings settings, String alerted) {
        ha.systemLog(List.of(entry(logger, level, 1, T0.minusSeconds(10), T0.minusSeconds(10), "boom")));
        List<Finding> findings = run(settings, T0).findings();
        assertThat(findings).extracting(f -> f.rootCause().key()).containsExactlyElementsOf(alerted.isEmpty() ? List.of() : List.of(alerted));
    }

    @Test
    void theAlertCarriesHasMessagesAndCountsAndACriticalOneIsAnError() {
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 2, T0.minusSeconds(20), T0.minusSeconds(5), "boom one", "boom two"),
                entry("homeassistant.components.demo.sensor", "CRITICAL", 1, T0.minusSeconds(3), T0.minusSeconds(3), "fatal")));
        Finding finding = only(run(DEFAULTS, T0));
        assertThat(finding.type()).isEqualTo(AlertType.LOG_ERRORS);
        assertThat(finding.severity()).isEqualTo(Severity.ERROR);
        assertThat(finding.rootCause()).isEqualTo(new RootCause(RootCause.Kind.INTEGRATION, "demo", "demo"));
        assertThat(finding.alertKey()).isEqualTo("ha_log_errors:integration:demo");
        assertThat(finding.summary()).isEqualTo("Integration demo logs errors: fatal");
        assertThat(finding.details()).containsEntry("count", 3L).containsEntry("new_errors", 3L).containsEntry("integration", "demo");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) finding.details().get("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).containsEntry("messages", List.of("boom one", "boom two")).containsEntry("count", 2L)
                .containsEntry("new", 2L).containsEntry("level", "ERROR").containsEntry("logger", "homeassistant.components.demo");
        assertThat(finding.since()).isEqualTo(T0.minusSeconds(20));
    }

    static Stream<Arguments> whatIsNewOnTheNextRun() {
        LogEntry first = entry("homeassistant.components.demo", "ERROR", 2, T0.minusSeconds(30), T0.minusSeconds(20), "boom");
        return Stream.of(
                // the log on the next run → new errors counted
                Arguments.of(List.of(first), 0L),                                                          // the same entry: nothing new
                Arguments.of(List.of(entry("homeassistant.components.demo", "ERROR", 5, T0.minusSeconds(30), T0.plusSeconds(50), "boom")), 3L),
                Arguments.of(List.of(), 0L),                                                              // HA restarted: log empty
                // HA restarted and logged it again: a new first occurrence, count 1
                Arguments.of(List.of(entry("homeassistant.components.demo", "ERROR", 1, T0.plusSeconds(40), T0.plusSeconds(40), "boom")), 1L),
                // pushed out of HA's 50 and logged again: the same, a new entry
                Arguments.of(List.of(entry("homeassistant.components.demo", "ERROR", 2, T0.plusSeconds(10), T0.plusSeconds(50), "boom")), 2L));
    }

    @ParameterizedTest(name = "{index}: {1} new")
    @MethodSource("whatIsNewOnTheNextRun")
    void anEntryIsNewByItsFirstOccurrenceAndItsCountEvenAfterAnAgentRestart(List<LogEntry> next, long fresh) {
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 2, T0.minusSeconds(30), T0.minusSeconds(20), "boom")));
        run(DEFAULTS, T0);
        ha.systemLog(next);
        // A new check over the same store: the agent restarted in between.
        CheckOutcome.Completed outcome = run(DEFAULTS, T0.plusSeconds(60));
        assertThat(outcome.measures()).containsEntry(LogErrorsCheck.NEW_ERRORS_MEASURE, fresh);
        assertThat(store.logErrorMemory().lastErrorAt()).containsEntry("integration:demo", fresh > 0 ? T0.plusSeconds(60) : T0);
        assertThat(outcome.findings()).hasSize(1); // within the quiet period: the alert stays open either way
    }

    @Test
    void theAlertEndsAfterTheQuietPeriodWithoutANewErrorAndOpensAgainOnTheNext() {
        LogEntry boom = entry("homeassistant.components.demo", "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), "boom");
        ha.systemLog(List.of(boom));
        assertThat(run(DEFAULTS, T0).findings()).hasSize(1);
        assertThat(run(DEFAULTS, T0.plus(QUIET).minusSeconds(1)).findings()).hasSize(1);
        assertThat(run(DEFAULTS, T0.plus(QUIET)).findings()).isEmpty();
        assertThat(run(DEFAULTS, T0.plus(QUIET).plusSeconds(60)).findings()).as("the same entry, still in HA's log, is not new").isEmpty();
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 2, T0.minusSeconds(5), T0.plus(QUIET).plusSeconds(100), "boom")));
        assertThat(run(DEFAULTS, T0.plus(QUIET).plusSeconds(120)).findings()).hasSize(1);
    }

    @Test
    void theQuietPeriodOutlivesAnHaRestartThatEmptiesTheLog() {
        ha.systemLog(List.of(entry("custom_components.foo.sensor", "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), "boom")));
        run(DEFAULTS, T0);
        ha.systemLog(List.of());
        Finding finding = only(run(DEFAULTS, T0.plusSeconds(600)));
        assertThat(finding.alertKey()).isEqualTo("ha_log_errors:integration:foo");
        assertThat(finding.summary()).contains("emptied");
        assertThat(run(DEFAULTS, T0.plus(QUIET)).findings()).isEmpty();
    }

    @Test
    void theFirstReadEverCountsOnlyWhatHaLoggedWithinTheQuietPeriod() {
        ha.systemLog(List.of(entry("homeassistant.components.old", "ERROR", 4, T0.minusSeconds(9000), T0.minus(QUIET).minusSeconds(1), "old"),
                entry("homeassistant.components.recent", "ERROR", 1, T0.minusSeconds(9000), T0.minusSeconds(60), "recent")));
        assertThat(run(DEFAULTS, T0).findings()).extracting(f -> f.rootCause().id()).containsExactly("recent");
        ha.systemLog(List.of(entry("homeassistant.components.old", "ERROR", 5, T0.minusSeconds(9000), T0.plusSeconds(30), "old")));
        assertThat(run(DEFAULTS, T0.plusSeconds(60)).findings()).extracting(f -> f.rootCause().id()).containsExactly("old", "recent");
    }

    @Test
    void theFirstReadOfAnEmptyLogIsRememberedSoThatOldEntriesLaterAreNew() {
        run(DEFAULTS, T0);
        assertThat(store.logErrorMemory().lastRead()).contains(T0);
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 1, T0.plusSeconds(1), T0.plusSeconds(1), "boom")));
        assertThat(run(DEFAULTS, T0.plus(QUIET).plusSeconds(60)).findings()).as("the agent was away; nothing is lost").hasSize(1);
    }

    static Stream<Arguments> absorbedByAFailedIntegration() {
        return Stream.of(
                // the entry's logger, its message → absorbed by the failing demo entry
                Arguments.of("homeassistant.components.demo", "boom", true),
                Arguments.of("homeassistant.components.demo.sensor", "boom", true),
                Arguments.of("homeassistant.config_entries", "Error setting up entry demo 1 for demo", true),
                Arguments.of("homeassistant.setup", "Setup failed for 'demo': Integration failed to initialize.", true),
                Arguments.of("homeassistant.config_entries", "Error setting up entry other for other", false),
                Arguments.of("homeassistant.components.other", "boom", false));
    }

    @ParameterizedTest(name = "{0}: {1} -> absorbed {2}")
    @MethodSource("absorbedByAFailedIntegration")
    void aFailingIntegrationAbsorbsItsLogErrors(String logger, String message, boolean absorbed) {
        ha.snapshot(Snapshots.ha().entry("e1", "demo", "setup_error", "boom").build());
        ha.systemLog(List.of(entry(logger, "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), message)));
        CheckOutcome.Completed outcome = run(DEFAULTS, T0);
        assertThat(outcome.findings()).hasSize(absorbed ? 0 : 1);
        assertThat(outcome.note()).contains(absorbed ? "of failed integrations, left to their alert" : "1 new errors");
    }

    @Test
    void anOpenIntegrationAlertAbsorbsLogErrorsOfItsDomainAfterItsEntryRecovered() {
        ha.snapshot(Snapshots.ha().entry("e1", "demo", "loaded").build());
        store.saveOpenAlert(new OpenAlert("ha_integration_failed:integration:e1", BuiltInCheck.SYSTEM_HEALTH.wire(), AlertType.INTEGRATION_FAILED,
                "c1", T0, T0, List.of()));
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), "boom")));
        assertThat(run(DEFAULTS, T0).findings()).isEmpty();
    }

    @Test
    void anAutomationsLogIsItsOwnIncidentOnlyWhenAutomationFailuresDoesNotRun() {
        ha.systemLog(List.of(entry("homeassistant.components.automation.garage", "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), "boom")));
        CheckOutcome.Completed outcome = (CheckOutcome.Completed) new LogErrorsCheck(DEFAULTS, store, false).run(ha, CheckContext.at(T0));
        assertThat(outcome.findings()).extracting(Finding::alertKey).containsExactly("ha_log_errors:integration:automation");
    }

    @Test
    void anHaWithoutSystemLogIsASkipWithTheReason() {
        ha.fail(new dev.hadiag.core.ha.HaProtocolException("command failed: unknown_command: Unknown command.", null,
                dev.hadiag.core.ha.HaProtocolException.UNKNOWN_COMMAND));
        assertThat(new LogErrorsCheck(DEFAULTS, store, true).run(ha, CheckContext.at(T0)))
                .isInstanceOfSatisfying(CheckOutcome.Skipped.class, skipped -> assertThat(skipped.reason()).contains("unknown_command"));
    }

    @Test
    void aRunThatChangesNothingWritesNothing() {
        ha.systemLog(List.of(entry("homeassistant.components.demo", "ERROR", 1, T0.minusSeconds(5), T0.minusSeconds(5), "boom")));
        run(DEFAULTS, T0);
        var before = store.logErrorMemory();
        run(DEFAULTS, T0.plusSeconds(60));
        assertThat(store.logErrorMemory()).isSameAs(before);
    }

    private CheckOutcome.Completed run(LogErrorsCheck.Settings settings, Instant now) {
        return (CheckOutcome.Completed) new LogErrorsCheck(settings, store, true).run(ha, CheckContext.at(now));
    }

    private static Finding only(CheckOutcome.Completed outcome) {
        assertThat(outcome.findings()).hasSize(1);
        return outcome.findings().get(0);
    }

    static LogEntry entry(String logger, String level, long count, Instant first, Instant last, String... messages) {
        return new LogEntry(logger, List.of(messages), level, "components/system_log/services.py:41", count, first, last, "");
    }
}
