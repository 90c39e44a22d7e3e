package dev.hadiag.app.config;

import dev.hadiag.core.alert.StormGuard;
import java.time.Duration;

/**
 * The alert lifecycle's keys ({@code alerts.*}).
 *
 * @param repeatInterval  how often an alert still open is announced again
 * @param minDuration     how long a finding must last before it is an alert (types with a setting of their own aside)
 * @param maxEventsPerRun how many openings of one alert type one run writes at most (the storm guard)
 */
public record AlertSettings(Duration repeatInterval, Duration minDuration, int maxEventsPerRun) {

    static AlertSettings read(ConfigReader reader) {
        ConfigReader keys = reader.under("alerts.");
        return new AlertSettings(keys.duration("repeat_interval", null, Duration.ofHours(24)),
                keys.durationOrZero("min_duration", null, Duration.ZERO),
                (int) keys.number("max_events_per_run", null, StormGuard.DEFAULT_MAX_EVENTS_PER_RUN, 1, 1_000_000));
    }
}
