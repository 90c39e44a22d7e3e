package dev.hadiag.core.fleet;

import java.util.Locale;

/** Whether a node's agent is there, as the fleet sees it through the broker. */
public enum Presence {
    /** Its status topic says online and it has published within the silence threshold. */
    ONLINE,
    /** Its status topic says offline: a clean stop, or its last will after a lost connection. */
    OFFLINE,
    /** Its status says online but nothing came from it for longer than the threshold (a hung host, a cut network). */
    SILENT,
    /** Alerts under its name but no agent status topic (another tool's events relayed by some agent): not watched. */
    UNKNOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean away() {
        return this == OFFLINE || this == SILENT;
    }
}
