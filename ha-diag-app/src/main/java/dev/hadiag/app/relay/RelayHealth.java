package dev.hadiag.app.relay;

/**
 * What the relay publishes of its agent on the retained {@code <prefix>/agents/<node>/health} topic, for the fleet view, and
 * on the Home Assistant discovery state topics.
 *
 * @param haState     {@code up}, {@code down}, {@code starting}, {@code token_rejected}, or {@code unknown} (a bare relay)
 * @param agentState  {@code ok}, or {@code failing} while the agent's {@code /health} says so
 * @param openAlerts  how many alerts the agent has open (-1: a bare relay does not know)
 * @param errorAlerts how many of them are at severity error or critical (-1: a bare relay does not know)
 */
public record RelayHealth(String version, String haState, String agentState, int openAlerts, int errorAlerts) {

    /** A relay that is not part of an agent ({@code ha-diag relay}): it knows its version only. */
    public static RelayHealth bareRelay(String version) {
        return new RelayHealth(version, "unknown", "ok", -1, -1);
    }
}
