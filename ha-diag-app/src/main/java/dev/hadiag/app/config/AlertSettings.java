package dev.hadiag.app.config;

import java.time.Duration;

/**
 * The alert lifecycle's keys ({@code alerts.*}).
 *
 * @param repeatInterval how often an alert still open is announced again
 * @param minDuration    how long a finding must last before it is an alert (types with a setting of their own aside)
 */
public record AlertSettings(Duration repeatInterval, Duration minDuration) {

    static AlertSettings read(ConfigReader reader) {
        ConfigReader keys = reader.under("alerts.");
        return new AlertSettings(keys.duration("repeat_interval", null, Duration.ofHours(24)),
                keys.durationOrZero("min_duration", null, Duration.ZERO));
    }
}
