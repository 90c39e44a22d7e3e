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
 */
public record NodeHealth(String version, String haState, String agentState, int openAlerts, Instant publishedAt, Duration heartbeat) {

    public NodeHealth {
        if (version == null || haState == null || agentState == null || publishedAt == null || heartbeat == null) {
            throw new IllegalArgumentException("a node's health needs every field");
        }
    }
}
