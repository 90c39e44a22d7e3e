package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.check.BackupsCheck;
import dev.hadiag.core.check.CheckContext;
import dev.hadiag.core.check.CheckOutcome;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backups check against HA's own backups: on 2026.11.0 an automatic backup HA itself fails (no backup
 * location selected: HA's "At least one available backup agent must be selected"), then a good one; on both
 * versions the age of the newest backup. One test: the steps build on each other's backups.
 */
@ExtendWith(HomeAssistantExtension.class)
class BackupsRealHomeAssistantIT {

    private final RealHomeAssistant ha;
    private final OkHttpHomeAssistant client;

    BackupsRealHomeAssistantIT(RealHomeAssistant ha) {
        this.ha = ha;
        this.client = new OkHttpHomeAssistant(new HaClientSettings(ha.url(), ha.token()));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private List<String> findings(BackupsCheck.Settings settings, Instant now) {
        CheckOutcome outcome = new BackupsCheck(settings).run(client, CheckContext.at(now));
        assertThat(outcome).isInstanceOf(CheckOutcome.Completed.class);
        return ((CheckOutcome.Completed) outcome).findings().stream().map(Finding::alertKey).toList();
    }

    /**
     * What an HA without the backup integration answers {@code backup/info} (the test HA has it on both versions):
     * HA's answer to any command it does not know, {@code unknown_command}, which the check turns into a skip with the reason.
     */
    @Test
    void a_command_ha_does_not_know_is_an_unknown_command_error_and_the_backups_check_skips_on_it() {
        assertThatThrownBy(() -> client.command("backup/ha_diag_no_such_command", Map.of(), node -> node))
                .isInstanceOfSatisfying(HaProtocolException.class, e -> {
                    assertThat(e.unknownCommand()).as(e.getMessage()).isTrue();
                    assertThat(e.getMessage()).contains("unknown_command");
                });
        HomeAssistant withoutBackups = new WithoutBackupIntegration(client);
        assertThat(new BackupsCheck(BackupsCheck.Settings.DEFAULTS).run(withoutBackups, CheckContext.at(Instant.now())))
                .isEqualTo(new CheckOutcome.Skipped(BackupsCheck.NO_BACKUP_INTEGRATION));
    }

    /** The real HA, whose {@code backup/info} is a command it does not know, as on an HA without the backup integration. */
    private record WithoutBackupIntegration(OkHttpHomeAssistant real) implements HomeAssistant {
        @Override
        public BackupInfo backupInfo() {
            return real.command("backup/ha_diag_no_such_command", Map.of(), HaJson::backupInfo);
        }

        @Override
        public void ping() {
            real.ping();
        }

        @Override
        public HaConfig config() {
            return real.config();
        }

        @Override
        public void forEachState(Consumer<EntityState> consumer) {
            real.forEachState(consumer);
        }

        @Override
        public List<ConfigEntry> configEntries() {
            return real.configEntries();
        }

        @Override
        public HaRegistries registries() {
            return real.registries();
        }

        @Override
        public SystemHealth systemHealth() {
            return real.systemHealth();
        }

        @Override
        public List<AutomationTrace> automationTraces() {
            return real.automationTraces();
        }

        @Override
        public RecorderInfo recorderInfo() {
            return real.recorderInfo();
        }

        @Override
        public List<RepairIssue> repairIssues() {
            return real.repairIssues();
        }

        @Override
        public List<LogEntry> systemLog() {
            return real.systemLog();
        }
    }

    @Test
    void a_failed_automatic_backup_then_a_good_one_and_the_newest_backups_age() {
        BackupInfo fresh = client.backupInfo();
        assertThat(fresh.automaticBackups()).isEqualTo(!ha.isLegacy());
        if (fresh.backups().isEmpty()) {
            // The test HA's defaults: no backup, no schedule: the notice, and nothing else.
            assertThat(findings(BackupsCheck.Settings.DEFAULTS, Instant.now())).containsExactly("ha_backups_missing:backup:none");
        }
        if (ha.isLegacy()) {
            client.command("backup/generate", Map.of(), node -> node); // 2024.3.3 has no automatic backups: a manual one, dated
        } else {
            client.command("backup/config/update", Map.of("create_backup", Map.of("agent_ids", List.of())), node -> node);
            try {
                client.command("backup/generate_with_automatic_settings", Map.of(), node -> node);
            } catch (RuntimeException expected) {
                // HA refuses at once and records the attempt as failed, with its repair
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> BackupsCheck.failedAttemptOf(client.backupInfo()));
            assertThat(findings(BackupsCheck.Settings.DEFAULTS, Instant.now())).contains("ha_backup_failed:backup:automatic");
            assertThat(client.backupInfo().lastFailureReason()).isEqualTo("backup_manager_error");
            assertThat(client.repairIssues()).anySatisfy(issue ->
                    assertThat(issue.domain() + "/" + issue.issueId()).isEqualTo("backup/automatic_backup_failed"));

            client.command("backup/config/update", Map.of("create_backup", Map.of("agent_ids", List.of("backup.local"),
                    "include_database", false)), node -> node);
            client.command("backup/generate_with_automatic_settings", Map.of(), node -> node);
            await().atMost(Duration.ofSeconds(30)).until(() -> !client.backupInfo().inProgress()
                    && !BackupsCheck.failedAttemptOf(client.backupInfo()));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.repairIssues().stream()
                    .noneMatch(issue -> issue.domain().equals("backup")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.backupInfo().backups().isEmpty());
        Instant now = Instant.now();
        assertThat(findings(BackupsCheck.Settings.DEFAULTS, now)).isEmpty();
        assertThat(findings(new BackupsCheck.Settings(Duration.ofMinutes(1), true), now.plus(Duration.ofMinutes(2))))
                .containsExactly("ha_backup_overdue:backup:newest");
    }
}
