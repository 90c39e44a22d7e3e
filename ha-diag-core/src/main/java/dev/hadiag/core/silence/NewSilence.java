package dev.hadiag.core.silence;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A silence as asked for, validated: at least one matcher, an end after its start and within a year, a comment and a
 * creator of sensible length. Every problem is an {@link InvalidSilenceException} naming the field.
 */
public record NewSilence(List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String comment, String createdBy) {

    public static final int MAX_MATCHERS = 16;
    public static final int MAX_COMMENT_LENGTH = 1000;
    public static final int MAX_CREATED_BY_LENGTH = 200;
    /** A silence is a window, not a way to switch an alert off: that is what the ignore rules are for. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);

    public NewSilence {
        if (matchers == null || matchers.isEmpty()) {
            throw new InvalidSilenceException("matchers", "at least one matcher is required, e.g. {\"field\": \"entity\", \"glob\": \"sensor.garage_*\"}");
        }
        if (matchers.size() > MAX_MATCHERS) {
            throw new InvalidSilenceException("matchers", "at most " + MAX_MATCHERS + " matchers");
        }
        matchers = List.copyOf(matchers);
        if (startsAt == null) {
            throw new InvalidSilenceException("starts_at", "is required");
        }
        if (endsAt == null) {
            throw new InvalidSilenceException("duration", "a duration or ends_at is required");
        }
        startsAt = startsAt.truncatedTo(ChronoUnit.MILLIS);
        endsAt = endsAt.truncatedTo(ChronoUnit.MILLIS);
        if (!endsAt.isAfter(startsAt)) {
            throw new InvalidSilenceException("ends_at", endsAt + " is not in the future");
        }
        if (Duration.between(startsAt, endsAt).compareTo(MAX_DURATION) > 0) {
            throw new InvalidSilenceException("ends_at", "a silence lasts at most " + MAX_DURATION.toDays() + " days");
        }
        comment = text("comment", comment, MAX_COMMENT_LENGTH);
        createdBy = text("created_by", createdBy, MAX_CREATED_BY_LENGTH);
    }

    /** A silence from {@code now} for {@code duration}. */
    public static NewSilence lasting(List<SilenceMatcher> matchers, Duration duration, Instant now, String comment, String createdBy) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new InvalidSilenceException("duration", "must be positive, e.g. 2h");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new InvalidSilenceException("duration", "a silence lasts at most " + MAX_DURATION.toDays() + " days");
        }
        return new NewSilence(matchers, now, now.plus(duration), comment, createdBy);
    }

    /** A silence from {@code now} until {@code endsAt}. */
    public static NewSilence until(List<SilenceMatcher> matchers, Instant endsAt, Instant now, String comment, String createdBy) {
        if (endsAt != null && !endsAt.isAfter(now)) {
            throw new InvalidSilenceException("ends_at", endsAt + " is in the past");
        }
        return new NewSilence(matchers, now, endsAt, comment, createdBy);
    }

    /**
     * Parses a duration as people write it: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT2H}).
     *
     * @throws InvalidSilenceException for anything else, zero and negative durations
     */
    public static Duration parseDuration(String text) {
        String value = text == null ? "" : text.trim();
        Duration duration;
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                duration = Duration.parse(value);
            } else if (value.matches("\\d{1,9}[smhd]")) {
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                duration = switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                throw new InvalidSilenceException("duration", "'" + value + "' is not a duration like 90s, 30m, 2h, 1d or PT2H");
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidSilenceException("duration", "'" + value + "' is not a duration like 90s, 30m, 2h, 1d or PT2H");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidSilenceException("duration", "must be positive, was " + value);
        }
        return duration;
    }

    private static String text(String field, String value, int max) {
        String clean = value == null ? "" : value.strip();
        if (clean.length() > max) {
            throw new InvalidSilenceException(field, "is longer than " + max + " characters");
        }
        if (clean.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new InvalidSilenceException(field, "holds a control character");
        }
        return clean;
    }
}
