package dev.hadiag.core.ha;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of {@code backup/info}. HA 2025.1+ keeps automatic backups and answers the {@code automatic}
 * fields; before, HA answers only its backups and whether one is being made ({@link #automaticBackups()} false,
 * the automatic fields empty).
 *
 * @param automaticBackups        whether HA knows automatic backups (2025.1+)
 * @param inProgress              a backup is being made or restored now ({@code state} not {@code idle}, or {@code backing_up})
 * @param lastAttemptedAutomatic  when HA last started an automatic backup
 * @param lastCompletedAutomatic  when HA last finished one
 * @param nextAutomatic           when HA's schedule makes the next one; empty: no schedule
 * @param lastFailureReason       {@code last_action_event.reason} when the last action failed, else empty
 * @param agentErrors             backup location (agent id) → HA's error while listing its backups
 */
public record BackupInfo(boolean automaticBackups, List<Backup> backups, boolean inProgress,
        Optional<Instant> lastAttemptedAutomatic, Optional<Instant> lastCompletedAutomatic, Optional<Instant> nextAutomatic,
        String lastFailureReason, Map<String, String> agentErrors) {

    /**
     * One backup HA lists.
     *
     * @param failedAgentIds the locations this backup failed to reach (2025.1+)
     * @param automatic      made by HA's automatic settings (2025.1+)
     */
    public record Backup(String backupId, String name, Instant date, List<String> agentIds, List<String> failedAgentIds,
            boolean automatic) {
        public Backup {
            Strings.required("backup_id", backupId);
            name = Strings.orEmpty(name);
            if (date == null) {
                throw new IllegalArgumentException("backup " + backupId + " needs a date");
            }
            agentIds = List.copyOf(agentIds);
            failedAgentIds = List.copyOf(failedAgentIds);
        }
    }

    public BackupInfo {
        backups = List.copyOf(backups);
        lastAttemptedAutomatic = lastAttemptedAutomatic == null ? Optional.empty() : lastAttemptedAutomatic;
        lastCompletedAutomatic = lastCompletedAutomatic == null ? Optional.empty() : lastCompletedAutomatic;
        nextAutomatic = nextAutomatic == null ? Optional.empty() : nextAutomatic;
        lastFailureReason = Strings.orEmpty(lastFailureReason);
        agentErrors = Map.copyOf(agentErrors);
    }

    /** HA's answer before 2025.1: its backups, and whether one is being made. */
    public static BackupInfo legacy(List<Backup> backups, boolean backingUp) {
        return new BackupInfo(false, backups, backingUp, Optional.empty(), Optional.empty(), Optional.empty(), "", Map.of());
    }

    /** The newest backup HA lists, if any. */
    public Optional<Backup> newest() {
        return backups.stream().max(Comparator.comparing(Backup::date).thenComparing(Backup::backupId));
    }
}
