package dev.hadiag.core.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One run of a check, for the history.
 *
 * @param reason why it was skipped or failed, else empty
 */
public record CheckRun(String check, Instant startedAt, Duration duration, CheckStatus status, int findings, String reason) {

    public CheckRun {
        if (check == null || check.isBlank() || startedAt == null || duration == null || status == null) {
            throw new IllegalArgumentException("check run needs a check, start, duration and status");
        }
        reason = reason == null ? "" : reason;
    }
}
