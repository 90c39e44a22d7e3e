package dev.hadiag.app.relay;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that keeps everything it receives, with a persistent session and automatic reconnects, so a broker
 * restart loses none of the messages the broker acknowledged.
 */
final class MqttRecorder implements AutoCloseable {

    record Message(String topic, String payload, String eventId, boolean retained) {
    }

    private final Mqtt5AsyncClient client;
    private final List<Message> messages = new ArrayList<>();

    MqttRecorder(int port, String filter, boolean persistentSession) throws Exception {
        client = MqttClient.builder().useMqttVersion5().identifier("recorder-" + UUID.randomUUID()).serverHost("127.0.0.1")
                .serverPort(port).automaticReconnectWithDefaultConfig().buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::record);
        client.connectWith().cleanStart(!persistentSession).sessionExpiryInterval(persistentSession ? 600 : 0).send()
                .get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    private synchronized void record(Mqtt5Publish publish) {
        String eventId = publish.getUserProperties().asList().stream().filter(p -> p.getName().toString().equals("event_id"))
                .map(p -> p.getValue().toString()).findFirst().orElse("");
        messages.add(new Message(publish.getTopic().toString(), new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                eventId, publish.isRetain()));
    }

    synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the broker was stopped first
        }
    }
}
