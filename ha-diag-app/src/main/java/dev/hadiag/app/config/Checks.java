package dev.hadiag.app.config;

import dev.hadiag.core.check.BuiltInCheck;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Every check's schedule ({@code checks.<name>.enabled}, {@code .interval}) and its own settings.
 *
 * @param schedules every check by name, enabled or not
 */
public record Checks(Map<String, Schedule> schedules, CheckSettings.Heartbeat heartbeat,
        CheckSettings.UnavailableEntities unavailableEntities, CheckSettings.SystemHealth systemHealth,
        CheckSettings.AutomationFailures automationFailures, CheckSettings.UpdatesAvailable updatesAvailable,
        CheckSettings.Recorder recorder, CheckSettings.Repairs repairs, CheckSettings.StaleEntities staleEntities,
        CheckSettings.Flapping flapping, CheckSettings.LowBatteries lowBatteries, CheckSettings.Backups backups,
        CheckSettings.LogErrors logErrors) {

    /** When a check runs: every check has these two keys. */
    public record Schedule(boolean enabled, Duration interval) {
    }

    public Checks {
        schedules = Map.copyOf(schedules);
    }

    public Schedule schedule(String check) {
        Schedule schedule = schedules.get(check);
        if (schedule == null) {
            throw new IllegalArgumentException("no settings for check " + check);
        }
        return schedule;
    }

    /** @param defaultInterval {@code check_interval}: the interval of a check that names none */
    static Checks read(ConfigReader reader, Duration defaultInterval) {
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        Function<String, ConfigReader> check = name -> {
            ConfigReader keys = reader.under("checks." + name + ".");
            schedules.put(name, new Schedule(keys.bool("enabled", null, true), keys.duration("interval", null, defaultInterval)));
            return keys;
        };
        CheckSettings.Heartbeat heartbeat = CheckSettings.Heartbeat.read(check.apply(BuiltInCheck.HEARTBEAT.wire()));
        CheckSettings.UnavailableEntities unavailable = CheckSettings.UnavailableEntities.read(check.apply(BuiltInCheck.UNAVAILABLE_ENTITIES.wire()));
        CheckSettings.SystemHealth systemHealth = CheckSettings.SystemHealth.read(check.apply(BuiltInCheck.SYSTEM_HEALTH.wire()));
        CheckSettings.AutomationFailures automations = CheckSettings.AutomationFailures.read(check.apply(BuiltInCheck.AUTOMATION_FAILURES.wire()));
        CheckSettings.UpdatesAvailable updates = CheckSettings.UpdatesAvailable.read(check.apply(BuiltInCheck.UPDATES_AVAILABLE.wire()));
        CheckSettings.Recorder recorder = CheckSettings.Recorder.read(check.apply(BuiltInCheck.RECORDER.wire()));
        CheckSettings.Repairs repairs = CheckSettings.Repairs.read(check.apply(BuiltInCheck.REPAIRS.wire()));
        CheckSettings.StaleEntities stale = CheckSettings.StaleEntities.read(check.apply(BuiltInCheck.STALE_ENTITIES.wire()));
        CheckSettings.Flapping flapping = CheckSettings.Flapping.read(check.apply(BuiltInCheck.FLAPPING.wire()));
        CheckSettings.LowBatteries lowBatteries = CheckSettings.LowBatteries.read(check.apply(BuiltInCheck.LOW_BATTERIES.wire()));
        CheckSettings.Backups backups = CheckSettings.Backups.read(check.apply(BuiltInCheck.BACKUPS.wire()));
        CheckSettings.LogErrors logErrors = CheckSettings.LogErrors.read(check.apply(BuiltInCheck.HA_LOG_ERRORS.wire()));
        return new Checks(schedules, heartbeat, unavailable, systemHealth, automations, updates, recorder, repairs, stale, flapping,
                lowBatteries, backups, logErrors);
    }
}
