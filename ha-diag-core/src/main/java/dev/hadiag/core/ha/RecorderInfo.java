package dev.hadiag.core.ha;

import java.util.OptionalLong;

/**
 * The answer of {@code recorder/info}.
 *
 * @param backlog absent when HA has no recorder instance
 */
public record RecorderInfo(OptionalLong backlog, long maxBacklog, boolean recording, boolean threadRunning,
        boolean migrationInProgress) {

    public RecorderInfo {
        backlog = backlog == null ? OptionalLong.empty() : backlog;
    }
}
