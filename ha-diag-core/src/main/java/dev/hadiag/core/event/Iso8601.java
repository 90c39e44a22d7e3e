package dev.hadiag.core.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The one lenient reading of ISO 8601 times that HA, event files of other tools and operators write. */
public final class Iso8601 {

    private Iso8601() {
    }

    /**
     * {@code Z}, an offset ({@code +00:00}), or no zone at all, taken as UTC (the event schema says UTC,
     * Python's {@code isoformat} omits it, and a few of HA's older values have none); empty when the text is
     * none of those.
     */
    public static Optional<Instant> parse(String text) {
        Instant fast = fast(text);
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The shape HA writes every time ({@code 2026-11-24T10:00:00.123456+00:00}), read without a formatter: a
     * 20,000-entity {@code /api/states} holds 60,000 of them, and the formatter's general parse was the largest
     * part of reading it (docs/performance.md, figure 8). Null for anything else, which the formatter then
     * reads (or rejects) as before.
     */
    private static Instant fast(String text) {
        int length = text.length();
        if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (at < length && text.charAt(at) == '.') {
            int end = at + 1;
            while (end < length && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                end++;
            }
            int count = end - at - 1;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(text, at + 1, end);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
            at = end;
        }
        int offsetSeconds = 0;
        if (at < length) {
            char sign = text.charAt(at);
            if (sign == 'Z' && at + 1 == length) {
                offsetSeconds = 0; // UTC, as without a zone
            } else if ((sign == '+' || sign == '-') && at + 6 == length && text.charAt(at + 3) == ':') {
                int hours = digits(text, at + 1, at + 3);
                int minutes = digits(text, at + 4, at + 6);
                if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
                    return null;
                }
                offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
            } else {
                return null;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** The number written in {@code text[from, to)}, or -1 when one of its characters is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
