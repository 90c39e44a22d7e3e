package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.port.HomeAssistant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HA's backups ({@code backup/info}), the failures that make no entity unavailable:
 * <ul>
 * <li>{@code ha_backup_failed}: HA's last automatic attempt came after its last completed one (and none is
 *     running), with HA's reason; HA's repair {@code backup/automatic_backup_failed} attaches to it
 *     ({@link RepairAttachments}). Resolved by the next completed automatic backup.</li>
 * <li>{@code ha_backup_overdue}: the newest backup (or HA's last completed automatic one) is older than
 *     {@code max_age}; on HA before 2025.1 from the newest backup's {@code date}.</li>
 * <li>{@code ha_backup_agent_failed}: one per location (agent) the newest backup failed to reach: the
 *     off-site copy is what saves a user when the disk dies.</li>
 * <li>{@code ha_backups_missing} (info): no backup at all and no schedule; one notice, switched off with
 *     {@code report_missing: false}.</li>
 * </ul>
 */
public final class BackupsCheck implements Check {

    /** The cause of the automatic-backup and age alerts: HA's backups as a whole. */
    public static final RootCause AUTOMATIC = new RootCause(RootCause.Kind.BACKUP, "automatic", "automatic backups");
    public static final RootCause NEWEST = new RootCause(RootCause.Kind.BACKUP, "newest", "the newest backup");
    public static final RootCause NONE = new RootCause(RootCause.Kind.BACKUP, "none", "backups");

    /**
     * @param maxAge        how old the newest backup may be; zero: from HA's schedule ({@link #maxAge(BackupInfo, Duration)})
     * @param reportMissing whether no backup and no schedule is reported (one info notice)
     */
    public record Settings(Duration maxAge, boolean reportMissing) {
        /** Without a schedule of HA's to go by, a backup older than this is overdue. */
        public static final Duration FALLBACK_MAX_AGE = Duration.ofDays(3);
        public static final Settings DEFAULTS = new Settings(Duration.ZERO, true);

        public Settings {
            if (maxAge == null || maxAge.isNegative()) {
                throw new IllegalArgumentException("max_age must be zero (from HA's schedule) or positive");
            }
        }
    }

    /** The skip's reason on an HA without the backup integration (before 2025.1 it is not loaded everywhere). */
    public static final String NO_BACKUP_INTEGRATION = "Home Assistant has no backup integration (backup/info: unknown_command):"
            + " nothing to check; add backup: to its configuration, or disable this check";

    private static final Duration LONGEST_SCHEDULE = Duration.ofDays(7);

    private final Settings settings;

    public BackupsCheck(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return BuiltInCheck.BACKUPS.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        BackupInfo info;
        try {
            info = ha.backupInfo();
        } catch (HaProtocolException e) {
            if (e.unknownCommand()) {
                return new CheckOutcome.Skipped(NO_BACKUP_INTEGRATION);
            }
            throw e;
        }
        Instant now = context.now();
        List<Finding> findings = new ArrayList<>();
        failedAttempt(info).ifPresent(findings::add);
        Optional<Instant> newest = newestCompleted(info);
        Duration maxAge = maxAge(info, settings.maxAge());
        if (newest.isPresent() && newest.get().plus(maxAge).isBefore(now)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("newest_backup", newest.get().toString());
            details.put("age_seconds", Duration.between(newest.get(), now).toSeconds());
            details.put("max_age_seconds", maxAge.toSeconds());
            info.nextAutomatic().ifPresent(next -> details.put("next_automatic_backup", next.toString()));
            findings.add(new Finding(AlertType.BACKUP_OVERDUE, AlertType.BACKUP_OVERDUE.defaultSeverity(), NEWEST,
                    "Newest backup is " + days(Duration.between(newest.get(), now)) + " old (max " + days(maxAge) + ")",
                    List.of(), newest.get().plus(maxAge), details));
        }
        info.newest().ifPresent(backup -> backup.failedAgentIds().stream().sorted().forEach(agent -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("agent_id", agent);
            details.put("backup_id", backup.backupId());
            details.put("backup_name", backup.name());
            details.put("backup_date", backup.date().toString());
            details.put("agent_error", info.agentErrors().getOrDefault(agent, ""));
            findings.add(new Finding(AlertType.BACKUP_AGENT_FAILED, AlertType.BACKUP_AGENT_FAILED.defaultSeverity(),
                    new RootCause(RootCause.Kind.BACKUP, "agent:" + agent, agent),
                    "Backup " + backup.name() + " did not reach " + agent, List.of(), backup.date(), details));
        }));
        if (settings.reportMissing() && newest.isEmpty() && info.nextAutomatic().isEmpty() && info.lastAttemptedAutomatic().isEmpty()) {
            findings.add(new Finding(AlertType.BACKUPS_MISSING, AlertType.BACKUPS_MISSING.defaultSeverity(), NONE,
                    "Home Assistant has no backup and no backup schedule", List.of(), now,
                    Map.of("automatic_backups_supported", info.automaticBackups())));
        }
        String note = info.backups().size() + " backups" + newest.map(n -> ", newest " + n).orElse("")
                + (info.automaticBackups() ? info.nextAutomatic().map(n -> ", next automatic " + n).orElse(", no schedule")
                        : "; HA before 2025.1 has no automatic backups: age only")
                + (info.inProgress() ? "; a backup is in progress" : "");
        return new CheckOutcome.Completed(findings, List.of(), note, Map.of("backups", (long) info.backups().size()));
    }

    /** The failed automatic attempt, if HA's last one came after its last completed one and none is running. */
    static Optional<Finding> failedAttempt(BackupInfo info) {
        if (info.inProgress() || info.lastAttemptedAutomatic().isEmpty()) {
            return Optional.empty();
        }
        Instant attempted = info.lastAttemptedAutomatic().get();
        if (info.lastCompletedAutomatic().filter(completed -> !completed.isBefore(attempted)).isPresent()) {
            return Optional.empty();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("last_attempted_automatic_backup", attempted.toString());
        details.put("last_completed_automatic_backup", info.lastCompletedAutomatic().map(Instant::toString).orElse(""));
        details.put("reason", info.lastFailureReason());
        details.put("agent_errors", info.agentErrors());
        String reason = info.lastFailureReason().isEmpty() ? "" : " (" + info.lastFailureReason() + ")";
        return Optional.of(new Finding(AlertType.BACKUP_FAILED, AlertType.BACKUP_FAILED.defaultSeverity(), AUTOMATIC,
                "The last automatic backup failed" + reason, List.of(), attempted, details));
    }

    /** Whether HA's last automatic attempt failed (the rule of {@code ha_backup_failed}). */
    public static boolean failedAttemptOf(BackupInfo info) {
        return failedAttempt(info).isPresent();
    }

    /** The newest finished backup: the newest listed, or HA's last completed automatic one if later. */
    static Optional<Instant> newestCompleted(BackupInfo info) {
        Optional<Instant> listed = info.newest().map(BackupInfo.Backup::date);
        if (listed.isEmpty()) {
            return info.lastCompletedAutomatic();
        }
        return info.lastCompletedAutomatic().filter(c -> c.isAfter(listed.get())).or(() -> listed);
    }

    /**
     * The age past which the newest backup is overdue: the configured one, else twice HA's own interval (the
     * next scheduled backup less the last attempt, a week at most) plus a day, at least
     * {@link Settings#FALLBACK_MAX_AGE}: a daily schedule misses two runs before it is overdue, a weekly one 15 days.
     */
    static Duration maxAge(BackupInfo info, Duration configured) {
        if (!configured.isZero()) {
            return configured;
        }
        if (info.nextAutomatic().isPresent() && info.lastAttemptedAutomatic().isPresent()) {
            Duration between = Duration.between(info.lastAttemptedAutomatic().get(), info.nextAutomatic().get());
            // HA schedules daily or on days of the week: a longer gap is missed runs, not the schedule.
            Duration interval = between.compareTo(LONGEST_SCHEDULE) > 0 ? LONGEST_SCHEDULE : between;
            if (!interval.isNegative() && !interval.isZero()) {
                Duration fromSchedule = interval.multipliedBy(2).plusDays(1);
                return fromSchedule.compareTo(Settings.FALLBACK_MAX_AGE) > 0 ? fromSchedule : Settings.FALLBACK_MAX_AGE;
            }
        }
        return Settings.FALLBACK_MAX_AGE;
    }

    private static String days(Duration duration) {
        long hours = duration.toHours();
        return hours >= 48 ? hours / 24 + " days" : hours >= 1 ? hours + " h" : duration.toSeconds() + " s";
    }
}
