package dev.hadiag.core.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
}
