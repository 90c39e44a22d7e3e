package dev.hadiag.core.fleet;

import java.time.Duration;
import java.time.Instant;

/**
 * What an agent says of itself on its retained {@code <prefix>/agents/<node>/health} topic, every heartbeat.
 *
 * @param haState     {@code up}, {@code down}, {@code starting}, {@code token_rejected} or {@code unknown} (a bare relay)
 * @param agentState  {@code ok}, or {@code failing} when the agent's {@code /health} says so
 * @param publishedAt the agent's clock when it published (shown as last seen after a fleet restart)
 * @param heartbeat   how often it publishes
 * @param stopped     the last health of a clean stop: how a status without a reason (MQTT 3.1.1) tells a planned stop from
 *                    the last will
 */
public record NodeHealth(String version, String haState, String agentState, int openAlerts, Instant publishedAt, Duration heartbeat,
        boolean stopped) {

    public NodeHealth(String version, String haState, String agentState, int openAlerts, Instant publishedAt, Duration heartbeat) {
        this(version, haState, agentState, openAlerts, publishedAt, heartbeat, false);
    }

    public NodeHealth {
        if (version == null || haState == null || agentState == null || publishedAt == null || heartbeat == null) {
            throw new IllegalArgumentException("a node's health needs every field");
        }
    }
}
