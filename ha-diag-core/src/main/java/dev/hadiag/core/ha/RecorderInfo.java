package dev.hadiag.core.ha;

import java.util.OptionalLong;

/**
 * The answer of {@code recorder/info}.
 *
 * @param backlogOrNull the recorder's queue length; null when HA has no recorder instance (read it with {@link #backlog()})
 */
public record RecorderInfo(Long backlogOrNull, long maxBacklog, boolean recording, boolean threadRunning,
        boolean migrationInProgress) {

    /** The recorder's queue length; empty when HA has no recorder instance. */
    public OptionalLong backlog() {
        return backlogOrNull == null ? OptionalLong.empty() : OptionalLong.of(backlogOrNull);
    }
}
