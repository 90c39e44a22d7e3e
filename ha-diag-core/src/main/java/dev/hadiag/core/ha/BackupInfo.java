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
 * @param lastAttemptedAutomaticOrNull when HA last started an automatic backup; null: never (or before 2025.1)
 * @param lastCompletedAutomaticOrNull when HA last finished one; null: never
 * @param nextAutomaticOrNull          when HA's schedule makes the next one; null: no schedule
 * (read the three with {@link #lastAttemptedAutomatic()}, {@link #lastCompletedAutomatic()}, {@link #nextAutomatic()})
 * @param lastFailureReason       {@code last_action_event.reason} when the last action failed, else empty
 * @param agentErrors             backup location (agent id) → HA's error while listing its backups
 */
public record BackupInfo(boolean automaticBackups, List<Backup> backups, boolean inProgress,
        Instant lastAttemptedAutomaticOrNull, Instant lastCompletedAutomaticOrNull, Instant nextAutomaticOrNull,
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
        lastFailureReason = Strings.orEmpty(lastFailureReason);
        agentErrors = Map.copyOf(agentErrors);
    }

    /** HA's answer before 2025.1: its backups, and whether one is being made. */
    public static BackupInfo legacy(List<Backup> backups, boolean backingUp) {
        return new BackupInfo(false, backups, backingUp, null, null, null, "", Map.of());
    }

    /** When HA last started an automatic backup, if it ever did. */
    public Optional<Instant> lastAttemptedAutomatic() {
        return Optional.ofNullable(lastAttemptedAutomaticOrNull);
    }

    /** When HA last finished an automatic backup, if it ever did. */
    public Optional<Instant> lastCompletedAutomatic() {
        return Optional.ofNullable(lastCompletedAutomaticOrNull);
    }

    /** When HA's schedule makes the next automatic backup; empty: no schedule. */
    public Optional<Instant> nextAutomatic() {
        return Optional.ofNullable(nextAutomaticOrNull);
    }

    /** The newest backup HA lists, if any. */
    public Optional<Backup> newest() {
        return backups.stream().max(Comparator.comparing(Backup::date).thenComparing(Backup::backupId));
    }
}
