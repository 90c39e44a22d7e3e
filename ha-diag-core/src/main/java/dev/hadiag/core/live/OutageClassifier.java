package dev.hadiag.core.live;

import dev.hadiag.core.ha.LiveSignal.DisconnectCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells an outage of HA's WebSocket apart by what preceded and followed the disconnect, and so how long it
 * may last before it pages:
 * <ul>
 * <li><b>planned</b>: HA announced its stop ({@code homeassistant_stop}/{@code homeassistant_final_write},
 * or a normal close frame), or maintenance is on: {@code websocket.restart_grace};</li>
 * <li><b>crashed</b>: no announcement, and HA's port then refused a connection: HA's process is gone and no
 * restart was asked for, so at once;</li>
 * <li><b>unreachable</b>: no announcement and no refusal (timeouts, or nothing known yet): the network may be
 * blipping, so {@code websocket.grace}.</li>
 * </ul>
 * Only an outage that follows a connection is classified: at the agent's own start HA may still be booting
 * beside it, so that waits the plain grace. Not thread-safe: the watchdog calls it under its own lock.
 */
public final class OutageClassifier {

    public enum Kind {
        PLANNED, CRASHED, UNREACHABLE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** HA came back after an outage in which its process was known to stop (announced, or its port refused). */
    public record Restart(Instant downSince, Instant backAt, boolean planned) {
    }

    /** The rule itself, on plain facts: what kind of outage this is. */
    public static Kind classify(boolean announced, boolean maintenance, boolean refused) {
        if (announced || maintenance) {
            return Kind.PLANNED;
        }
        return refused ? Kind.CRASHED : Kind.UNREACHABLE;
    }

    /** How long an outage of this kind may last before it is dead. */
    public static Duration graceFor(Kind kind, Duration grace, Duration restartGrace) {
        return switch (kind) {
            case PLANNED -> restartGrace;
            case CRASHED -> Duration.ZERO;
            case UNREACHABLE -> grace;
        };
    }

    /**
     * How long an announcement stays good for: {@code homeassistant.restart} first checks HA's configuration
     * and does not restart if it is broken, so an announcement without a disconnect must not make a later
     * crash look planned.
     */
    public static final Duration ANNOUNCEMENT_VALIDITY = Duration.ofMinutes(2);

    private Instant stopAnnouncedAt;
    private Instant outageSince;
    private boolean announced;
    private boolean maintenance;
    private boolean refused;

    /** HA said it is stopping; remembered until the connection is up again. */
    public void onStopAnnounced(Instant at) {
        if (outageSince == null) {
            stopAnnouncedAt = at;
        }
    }

    /**
     * A disconnect or a failed attempt. The first one after a connection starts the outage.
     *
     * @param wasConnected whether a connection was up just before (false at the agent's start)
     * @param maintenanceActive whether the operator's maintenance was on at that moment
     */
    public void onDisconnected(Instant at, DisconnectCause cause, boolean wasConnected, boolean maintenanceActive) {
        if (outageSince == null) {
            if (!wasConnected) {
                return;
            }
            outageSince = at;
            boolean recentlyAnnounced = stopAnnouncedAt != null && !at.isAfter(stopAnnouncedAt.plus(ANNOUNCEMENT_VALIDITY));
            announced = recentlyAnnounced || cause == DisconnectCause.CLOSED_BY_HA;
            if (!recentlyAnnounced) {
                stopAnnouncedAt = null;
            }
            maintenance = maintenanceActive;
        }
        if (cause == DisconnectCause.REFUSED) {
            refused = true;
        }
    }

    /** The kind of the outage under way, if one that followed a connection is. */
    public Optional<Kind> current() {
        return outageSince == null ? Optional.empty() : Optional.of(classify(announced, maintenance, refused));
    }

    /** When HA announced the stop behind the current outage, if it did. */
    public Optional<Instant> stopAnnouncedAt() {
        return Optional.ofNullable(stopAnnouncedAt);
    }

    /** Connected again: the outage is over; a restart if HA's process was known to have stopped. */
    public Optional<Restart> onConnected(Instant at) {
        Optional<Restart> restart = outageSince != null && (announced || refused)
                ? Optional.of(new Restart(outageSince, at, announced || maintenance))
                : Optional.empty();
        reset();
        return restart;
    }

    /** HA answered (e.g. rejected the token): whatever the outage was, it is over without a restart to report. */
    public void reset() {
        stopAnnouncedAt = null;
        outageSince = null;
        announced = false;
        maintenance = false;
        refused = false;
    }
}
