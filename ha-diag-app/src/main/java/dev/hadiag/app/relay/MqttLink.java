package dev.hadiag.app.relay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One connection to a broker, over MQTT 5 or MQTT 3.1.1 ({@link MqttConnector} makes it): the little the relay and the
 * fleet need of HiveMQ's two client APIs, so each has one code path for both. Publications are QoS 1; subscriptions QoS 0.
 */
public interface MqttLink {

    /** A message from the broker. {@code properties}: MQTT 5 user properties; always empty on 3.1.1. */
    record Message(String topic, byte[] payload, boolean retained, Map<String, String> properties) {

        public Message {
            properties = Map.copyOf(properties);
        }
    }

    /** The broker acknowledged a publication with an error reason code (MQTT 5 only): sending it again cannot help. */
    final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The version this connection speaks: never {@link MqttProtocol#AUTO}. */
    MqttProtocol protocol();

    /** Whether user properties reach the broker (MQTT 5): on 3.1.1 what they say must travel in the payload. */
    default boolean carriesProperties() {
        return protocol() == MqttProtocol.V5;
    }

    /**
     * QoS 1; completes when the broker acknowledged it, exceptionally with {@link Refused} when it refused it.
     *
     * @param properties user properties, dropped on 3.1.1
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Map<String, String> properties);

    /** At QoS 0, every filter in one SUBSCRIBE; messages go to the connector's message handler. */
    CompletableFuture<Void> subscribe(List<String> filters);

    /** A clean disconnect (no last will); quiet if the connection is already gone. */
    CompletableFuture<Void> disconnect();
}
