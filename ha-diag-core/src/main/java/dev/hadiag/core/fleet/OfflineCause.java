package dev.hadiag.core.fleet;

/** Why a node went away, as {@code node_offline} says it. */
public enum OfflineCause {
    /** Its agent stopped cleanly and said {@code offline} itself: planned. */
    STOPPED("stopped", true),
    /** The broker published its last will: the connection was lost (a crash, {@code kill -9}, a host or network gone). */
    CONNECTION_LOST("connection_lost", false),
    /** No publication for longer than the threshold while its status still said online. */
    SILENT("silent", false);

    private final String wire;
    private final boolean planned;

    OfflineCause(String wire, boolean planned) {
        this.wire = wire;
        this.planned = planned;
    }

    public String wire() {
        return wire;
    }

    public boolean planned() {
        return planned;
    }
}
