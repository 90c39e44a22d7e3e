package dev.hadiag.core.check;

import static dev.hadiag.core.testing.Snapshots.T0;
import static dev.hadiag.core.testing.Snapshots.ha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.testing.FakeHomeAssistant;
import dev.hadiag.core.testing.InMemoryDiagnosticStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackupsCheckTest {

    static final Instant NOW = T0.plus(Duration.ofDays(30));
    static final Duration DAY = Duration.ofDays(1);

    static BackupInfo.Backup backup(Instant date, String... failedAgents) {
        return new BackupInfo.Backup("b-" + date.getEpochSecond(), "Automatic backup", date, List.of("backup.local", "cloud.cloud"),
                List.of(failedAgents), true);
    }

    /** HA 2025.1+: a daily schedule, the next run 20 h from now unless said. */
    static BackupInfo automatic(List<BackupInfo.Backup> backups, Instant attempted, Instant completed, boolean running, String reason) {
        return new BackupInfo(true, backups, running, attempted, completed,
                NOW.plus(Duration.ofHours(20)), reason, Map.of());
    }

    static BackupInfo unscheduled(List<BackupInfo.Backup> backups) {
        return new BackupInfo(true, backups, false, null, null, null, "", Map.of());
    }

    static Stream<Arguments> cases() {
        Instant yesterday = NOW.minus(Duration.ofHours(4));
        return Stream.of(
                Arguments.of("a fresh 2026 install: no backup, no schedule: one info notice", unscheduled(List.of()),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backups_missing:backup:none")),
                Arguments.of("... switched off", unscheduled(List.of()), new BackupsCheck.Settings(Duration.ZERO, false), List.of()),
                Arguments.of("a fresh 2024.3.3 install: the same notice", BackupInfo.legacy(List.of(), false),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backups_missing:backup:none")),
                Arguments.of("daily, last good 4 h ago: all well",
                        automatic(List.of(backup(yesterday)), yesterday, yesterday.plusSeconds(30), false, ""),
                        BackupsCheck.Settings.DEFAULTS, List.of()),
                Arguments.of("the last attempt came after the last completed one: failed, with HA's reason",
                        automatic(List.of(backup(yesterday.minus(DAY))), yesterday, yesterday.minus(DAY).plusSeconds(30), false, "upload_failed"),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backup_failed:backup:automatic")),
                Arguments.of("never completed, attempted once: failed", automatic(List.of(), yesterday, null, false, "backup_manager_error"),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backup_failed:backup:automatic")),
                Arguments.of("a backup running right now is no failure", automatic(List.of(backup(yesterday.minus(DAY))), NOW,
                        yesterday.minus(DAY), true, ""), BackupsCheck.Settings.DEFAULTS, List.of()),
                Arguments.of("daily, HA's scheduler stopped 4 days ago: overdue (3 days from a daily schedule)",
                        new BackupInfo(true, List.of(backup(NOW.minus(Duration.ofDays(4)))), false, NOW.minus(Duration.ofDays(4)),
                                NOW.minus(Duration.ofDays(4)), NOW.minus(Duration.ofDays(3)), "", Map.of()),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backup_overdue:backup:newest")),
                Arguments.of("2024.3.3: a manual backup 4 days old is overdue by its date",
                        BackupInfo.legacy(List.of(backup(NOW.minus(Duration.ofDays(4)))), false),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backup_overdue:backup:newest")),
                Arguments.of("2024.3.3: 2 days old is fine", BackupInfo.legacy(List.of(backup(NOW.minus(Duration.ofDays(2)))), false),
                        BackupsCheck.Settings.DEFAULTS, List.of()),
                Arguments.of("max_age set small: 4 h old is overdue", automatic(List.of(backup(yesterday)), yesterday, yesterday, false, ""),
                        new BackupsCheck.Settings(Duration.ofHours(1), true), List.of("ha_backup_overdue:backup:newest")),
                Arguments.of("the newest backup did not reach the cloud: one alert for that location",
                        automatic(List.of(backup(yesterday.minus(DAY)), backup(yesterday, "cloud.cloud")), yesterday, yesterday, false, ""),
                        BackupsCheck.Settings.DEFAULTS, List.of("ha_backup_agent_failed:backup:agent:cloud.cloud")),
                Arguments.of("an older backup's failed location, reached by the newest: all well",
                        automatic(List.of(backup(yesterday.minus(DAY), "cloud.cloud"), backup(yesterday)), yesterday, yesterday, false, ""),
                        BackupsCheck.Settings.DEFAULTS, List.of()),
                Arguments.of("a schedule without a backup yet is no notice", automatic(List.of(), null, null, false, ""),
                        BackupsCheck.Settings.DEFAULTS, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void alerts_for_what_HA_says_of_its_backups(String name, BackupInfo info, BackupsCheck.Settings settings, List<String> keys) {
        CheckOutcome.Completed outcome = (CheckOutcome.Completed) new BackupsCheck(settings)
                .run(new FakeHomeAssistant().backups(info), CheckContext.at(NOW));
        assertThat(outcome.findings()).extracting(Finding::alertKey).containsExactlyElementsOf(keys);
    }

    @Test
    void an_ha_without_the_backup_integration_is_a_skip_with_the_reason_and_any_other_failed_command_stays_a_failure() {
        FakeHomeAssistant without = new FakeHomeAssistant().fail(new HaProtocolException("command failed: unknown_command: Unknown command.",
                null, HaProtocolException.UNKNOWN_COMMAND));
        assertThat(new BackupsCheck(BackupsCheck.Settings.DEFAULTS).run(without, CheckContext.at(NOW)))
                .isEqualTo(new CheckOutcome.Skipped(BackupsCheck.NO_BACKUP_INTEGRATION));
        FakeHomeAssistant failing = new FakeHomeAssistant().fail(new HaProtocolException("command failed: home_assistant_error: boom",
                null, "home_assistant_error"));
        assertThatThrownBy(() -> new BackupsCheck(BackupsCheck.Settings.DEFAULTS).run(failing, CheckContext.at(NOW)))
                .isInstanceOf(HaProtocolException.class);
    }

    @Test
    void the_failed_alert_carries_HAs_reason_and_the_time_of_the_attempt() {
        Instant attempted = NOW.minus(Duration.ofHours(2));
        Finding failed = BackupsCheck.failedAttempt(automatic(List.of(), attempted, null, false, "backup_manager_error")).orElseThrow();
        assertThat(failed.summary()).contains("backup_manager_error");
        assertThat(failed.details()).containsEntry("reason", "backup_manager_error");
        assertThat(failed.since()).isEqualTo(attempted);
    }

    @Test
    void max_age_follows_a_weekly_schedule_and_never_falls_below_three_days() {
        BackupInfo weekly = new BackupInfo(true, List.of(), false, NOW, NOW, NOW.plus(Duration.ofDays(7)),
                "", Map.of());
        assertThat(BackupsCheck.maxAge(weekly, Duration.ZERO)).isEqualTo(Duration.ofDays(15));
        BackupInfo hourly = new BackupInfo(true, List.of(), false, NOW, NOW, NOW.plusSeconds(3600),
                "", Map.of());
        assertThat(BackupsCheck.maxAge(hourly, Duration.ZERO)).isEqualTo(Duration.ofDays(3));
        assertThat(BackupsCheck.maxAge(hourly, Duration.ofHours(5))).isEqualTo(Duration.ofHours(5));
        BackupInfo missedRuns = new BackupInfo(true, List.of(), false, NOW, NOW, NOW.plus(Duration.ofDays(30)),
                "", Map.of());
        assertThat(BackupsCheck.maxAge(missedRuns, Duration.ZERO)).isEqualTo(Duration.ofDays(15));
    }

    static RepairIssue backupRepair() {
        return new RepairIssue("backup", "automatic_backup_failed", "warning", false, false, "automatic_backup_failed_create",
                Map.of(), "", T0, "homeassistant://config/backup");
    }

    @Test
    void HAs_backup_repair_waits_for_the_backups_alert_and_then_attaches_to_it_never_a_second_incident() {
        InMemoryDiagnosticStore store = new InMemoryDiagnosticStore();
        RepairsCheck repairs = new RepairsCheck(List.of(), store, true);
        FakeHomeAssistant ha = new FakeHomeAssistant().snapshot(ha().build()).repairs(List.of(backupRepair()));

        CheckOutcome.Completed before = (CheckOutcome.Completed) repairs.run(ha, CheckContext.at(NOW));
        assertThat(before.findings()).isEmpty();
        assertThat(before.note()).contains("1 left to the backups check");

        String key = "ha_backup_failed:backup:automatic";
        store.saveOpenAlert(new OpenAlert(key, BuiltInCheck.BACKUPS.wire(), AlertType.BACKUP_FAILED, "c1", NOW, NOW, List.of()));
        CheckOutcome.Completed after = (CheckOutcome.Completed) repairs.run(ha, CheckContext.at(NOW.plusSeconds(60)));
        assertThat(after.findings()).isEmpty();
        assertThat(RepairsCheck.attachedTo(key, store.repairAttachments())).containsExactly("backup/automatic_backup_failed");
    }

    @Test
    void without_the_backups_check_HAs_backup_repair_is_a_repair_like_any_other() {
        CheckOutcome.Completed outcome = (CheckOutcome.Completed) new RepairsCheck(List.of(), new InMemoryDiagnosticStore(), false)
                .run(new FakeHomeAssistant().snapshot(ha().build()).repairs(List.of(backupRepair())), CheckContext.at(NOW));
        assertThat(outcome.findings()).extracting(Finding::alertKey).containsExactly("ha_repair_issue:repair:backup/automatic_backup_failed");
    }
}
