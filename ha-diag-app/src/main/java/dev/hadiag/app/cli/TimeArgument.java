package dev.hadiag.app.cli;

import dev.hadiag.app.config.Durations;
import dev.hadiag.core.event.Iso8601;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses {@code --since}/{@code --until}: an ISO instant ({@code 2026-06-03T17:00:00Z}, an offset, or no
 * zone meaning UTC), a UTC date ({@code 2026-06-03}, the whole day), or an age ({@code 90s}, {@code 15m},
 * {@code 24h}, {@code 7d}) counted back from now.
 */
final class TimeArgument {

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    private TimeArgument() {
    }

    /** The first instant the argument covers: a date's midnight. */
    static Instant start(String option, String text, Instant now) {
        return parse(option, text, now, false);
    }

    /** The first instant after what the argument covers: a date's next midnight, so the whole day is included. */
    static Instant end(String option, String text, Instant now) {
        return parse(option, text, now, true);
    }

    private static Instant parse(String option, String text, Instant now, boolean endOfDay) {
        // An age needs its unit here: a bare number is not taken for seconds, unlike in the config file.
        Optional<Duration> age = AGE.matcher(text).matches() ? Durations.parse(text) : Optional.empty();
        if (age.isPresent()) {
            return now.minus(age.get());
        }
        try {
            LocalDate date = LocalDate.parse(text);
            return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            // try the next form
        }
        return Iso8601.parse(text).orElseThrow(() -> new UsageException(option + ": '" + text
                + "' is not a time; use 2026-06-03, 2026-06-03T17:00:00Z or an age like 90m, 24h, 7d"));
    }
}
