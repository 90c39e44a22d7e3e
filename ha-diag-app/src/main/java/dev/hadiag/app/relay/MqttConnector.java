package dev.hadiag.app.relay;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the broker of {@link MqttSettings} in the version {@code mqtt.protocol} says: with {@code auto}, MQTT 5
 * first and MQTT 3.1.1 when the broker does not take it (a 3.1.1 broker answers an MQTT 5 CONNECT with "unacceptable
 * protocol version", which HiveMQ's MQTT 5 decoder cannot read, or closes the connection, or never answers). The version
 * that connected is tried first from then on; the other only when that one is refused the same way (a broker replaced).
 * No broker on the port, a TLS failure or a refusal in MQTT 5's own words (bad credentials) is an answer, not a reason to
 * try the other version.
 */
public final class MqttConnector {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);

    /** The last will: retained, QoS 1. {@code properties} only reach an MQTT 5 broker. */
    public record Will(String topic, byte[] payload, Map<String, String> properties) {

        public Will {
            properties = Map.copyOf(properties);
        }
    }

    /** Neither version connected. */
    public static final class ConnectFailed extends Exception {

        private static final long serialVersionUID = 1L;

        ConnectFailed(String message) {
            super(message);
        }
    }

    private final MqttSettings settings;
    private volatile MqttProtocol preferred;

    public MqttConnector(MqttSettings settings) {
        this.settings = settings;
        this.preferred = settings.protocol() == MqttProtocol.V3_1_1 ? MqttProtocol.V3_1_1 : MqttProtocol.V5;
    }

    /**
     * Connects with a clean session and a 30 s keep-alive, blocking up to {@code timeoutSeconds} per version tried.
     *
     * @param will         null for none
     * @param onMessage    every message of this connection's subscriptions (on the client's thread)
     * @param onDisconnect called once when this connection, once up, is lost or closed
     */
    public MqttLink connect(Will will, Consumer<MqttLink.Message> onMessage, Consumer<Throwable> onDisconnect, long timeoutSeconds)
            throws ConnectFailed, InterruptedException {
        MqttProtocol first = preferred;
        Attempt attempt = attempt(first, will, onMessage, onDisconnect, timeoutSeconds);
        if (attempt.link != null) {
            return attempt.link;
        }
        if (settings.protocol() != MqttProtocol.AUTO || !attempt.otherVersionMayHelp) {
            throw new ConnectFailed(describe(first, attempt.failure));
        }
        MqttProtocol other = first == MqttProtocol.V5 ? MqttProtocol.V3_1_1 : MqttProtocol.V5;
        Attempt second = attempt(other, will, onMessage, onDisconnect, timeoutSeconds);
        if (second.link == null) {
            throw new ConnectFailed(describe(first, attempt.failure) + "; " + describe(other, second.failure));
        }
        LOG.info("the MQTT broker {} did not take MQTT {} ({}): speaking MQTT {}", hostPort(), first.wire(), attempt.failure, other.wire());
        preferred = other;
        return second.link;
    }

    /** The version the next connection tries first. */
    public MqttProtocol preferred() {
        return preferred;
    }

    private String describe(MqttProtocol protocol, String failure) {
        return "cannot connect to " + hostPort() + (settings.protocol() == MqttProtocol.AUTO ? " (MQTT " + protocol.wire() + ")" : "") + ": " + failure;
    }

    private String hostPort() {
        return settings.url().getHost() + ":" + settings.port();
    }

    private record Attempt(MqttLink link, String failure, boolean otherVersionMayHelp) {
    }

    private Attempt attempt(MqttProtocol protocol, Will will, Consumer<MqttLink.Message> onMessage, Consumer<Throwable> onDisconnect,
            long timeoutSeconds) throws InterruptedException {
        AtomicBoolean up = new AtomicBoolean();
        AtomicBoolean told = new AtomicBoolean();
        Consumer<Throwable> lost = cause -> {
            if (up.get() && told.compareAndSet(false, true)) {
                onDisconnect.accept(cause);
            }
        };
        Link link = protocol == MqttProtocol.V5 ? new V5(settings, will, onMessage, lost, timeoutSeconds)
                : new V311(settings, will, onMessage, lost, timeoutSeconds);
        try {
            link.connect().get(timeoutSeconds + 2, TimeUnit.SECONDS); // the client's own CONNACK timeout ends it first
            up.set(true);
            return new Attempt(link, "", false);
        } catch (ExecutionException | TimeoutException e) {
            link.disconnect();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Attempt(null, reason(cause), otherVersionMayHelp(cause));
        } catch (InterruptedException e) {
            link.disconnect();
            throw e;
        }
    }

    /** Only an answer that says nothing about the broker's other version (or one that names the version) lets us try it. */
    private static boolean otherVersionMayHelp(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SSLException) {
                return false;
            }
            if (t instanceof Mqtt5ConnAckException refused) {
                return refused.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            }
            if (t instanceof com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException refused) {
                return refused.getMqttMessage().getReturnCode()
                        == com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode.UNSUPPORTED_PROTOCOL_VERSION;
            }
        }
        return true; // closed before a CONNACK, a CONNACK the decoder cannot read, no answer at all
    }

    static String reason(Throwable cause) {
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private abstract static class Link implements MqttLink {
        abstract CompletableFuture<?> connect();
    }

    private static final class V5 extends Link {

        private final Mqtt5AsyncClient client;

        V5(MqttSettings settings, Will will, Consumer<MqttLink.Message> onMessage, Consumer<Throwable> lost, long timeoutSeconds) {
            Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(settings.clientId())
                    .transportConfig().serverHost(settings.url().getHost()).serverPort(settings.port())
                    .mqttConnectTimeout(timeoutSeconds, TimeUnit.SECONDS).applyTransportConfig()
                    .addDisconnectedListener(context -> lost.accept(context.getCause()));
            if (will != null) {
                builder = builder.willPublish().topic(will.topic()).payload(will.payload()).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .userProperties(properties(will.properties())).applyWillPublish();
            }
            if (settings.tls()) {
                builder = builder.sslWithDefaultConfig();
            }
            if (!settings.username().isEmpty()) {
                builder = builder.simpleAuth().username(settings.username()).password(settings.password().getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            client = builder.buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                Map<String, String> props = new HashMap<>();
                publish.getUserProperties().asList().forEach(p -> props.putIfAbsent(p.getName().toString(), p.getValue().toString()));
                onMessage.accept(new MqttLink.Message(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.isRetain(), props));
            });
        }

        private static Mqtt5UserProperties properties(Map<String, String> properties) {
            Mqtt5UserPropertiesBuilder builder = Mqtt5UserProperties.builder();
            properties.forEach(builder::add);
            return builder.build();
        }

        @Override
        CompletableFuture<?> connect() {
            return client.connectWith().cleanStart(true).keepAlive(30).send();
        }

        @Override
        public MqttProtocol protocol() {
            return MqttProtocol.V5;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Map<String, String> properties) {
            return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload)
                    .userProperties(properties(properties)).send().thenApply(result -> {
                        if (result.getError().isPresent()) {
                            throw new java.util.concurrent.CompletionException(result.getError().get());
                        }
                        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result acknowledged && acknowledged.getPubAck().getReasonCode().isError()) {
                            // Not authorised, topic invalid, quota: retrying the same message cannot help.
                            throw new Refused("the broker refused " + topic + ": " + acknowledged.getPubAck().getReasonCode());
                        }
                        return null;
                    });
        }

        @Override
        public CompletableFuture<Void> subscribe(List<String> filters) {
            return client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(filters.stream()
                    .map(filter -> Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).build())).build())
                    .thenApply(ack -> null);
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect().exceptionally(alreadyGone -> null);
        }
    }

    private static final class V311 extends Link {

        private final Mqtt3AsyncClient client;

        V311(MqttSettings settings, Will will, Consumer<MqttLink.Message> onMessage, Consumer<Throwable> lost, long timeoutSeconds) {
            Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3().identifier(settings.clientId())
                    .transportConfig().serverHost(settings.url().getHost()).serverPort(settings.port())
                    .mqttConnectTimeout(timeoutSeconds, TimeUnit.SECONDS).applyTransportConfig()
                    .addDisconnectedListener(context -> lost.accept(context.getCause()));
            if (will != null) {
                builder = builder.willPublish().topic(will.topic()).payload(will.payload()).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                        .applyWillPublish();
            }
            if (settings.tls()) {
                builder = builder.sslWithDefaultConfig();
            }
            if (!settings.username().isEmpty()) {
                builder = builder.simpleAuth().username(settings.username()).password(settings.password().getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            client = builder.buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, publish -> onMessage.accept(
                    new MqttLink.Message(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.isRetain(), Map.of())));
        }

        @Override
        CompletableFuture<?> connect() {
            return client.connectWith().cleanSession(true).keepAlive(30).send();
        }

        @Override
        public MqttProtocol protocol() {
            return MqttProtocol.V3_1_1;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain, Map<String, String> properties) {
            return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send().thenApply(sent -> null);
        }

        @Override
        public CompletableFuture<Void> subscribe(List<String> filters) {
            return client.subscribe(Mqtt3Subscribe.builder().addSubscriptions(filters.stream()
                    .map(filter -> Mqtt3Subscription.builder().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).build())).build())
                    .thenApply(ack -> null);
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect().exceptionally(alreadyGone -> null);
        }
    }
}
