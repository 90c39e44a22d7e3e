package dev.hadiag.app.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.testing.MqttDiscovery;
import dev.hadiag.app.testing.RealHaAgent;
import dev.hadiag.core.store.CheckStatus;
import dev.hadiag.core.testing.States;
import dev.hadiag.core.check.BuiltInCheck;
import dev.hadiag.core.diagnostics.CheckReport;
import dev.hadiag.core.diagnostics.Diagnostics;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.ha.client.OkHttpHomeAssistant;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15's detection on a real Home Assistant, with the agent's own wiring and defaults: a Zigbee2MQTT-like
 * bridge over MQTT discovery (a bridge device whose connection entity stays available, ten devices behind it
 * with {@code via_device} and availability tied to the bridge), an alert storm of 5,000 unavailable states,
 * and a failing automation whose repair issue joins its alert. Discovery and availability messages go to the
 * test HA's own broker through HA's {@code mqtt.publish} service, so both modes (local and container) work alike.
 */
@ExtendWith(HomeAssistantExtension.class)
class HubsAndStormsRealHomeAssistantIT {

    private static final Duration THRESHOLD = Duration.ofMinutes(15);
    private static final int CHILDREN = 10;
    private static final int STORM = 5_000;

    private final RealHomeAssistant ha;
    private final RealHaAgent agent;
    private final MqttDiscovery mqtt;
    private final OkHttpHomeAssistant client;
    private final SqliteDiagnosticStore store;
    private final Diagnostics diagnostics;
    private final List<String> postedStates = new ArrayList<>();

    HubsAndStormsRealHomeAssistantIT(RealHomeAssistant ha, @TempDir Path dir) {
        this.ha = ha;
        // Every default: threshold 15 min, alerts.max_events_per_run 50.
        this.agent = RealHaAgent.on(ha, dir).env("LOCATION_TAG", "lab").steppedClock().build();
        assertThat(agent.config().alerts().maxEventsPerRun()).isEqualTo(50);
        this.mqtt = new MqttDiscovery(ha, agent.client());
        this.client = agent.client();
        this.store = agent.store();
        this.diagnostics = agent.diagnostics();
    }

    @AfterEach
    void cleanUp() {
        try {
            deleteStates(postedStates);
            mqtt.close();
        } finally {
            agent.close();
        }
    }

    @Test
    void a_bridge_outage_with_ten_devices_behind_it_is_one_event_naming_the_bridge_and_one_resolution() {
        MqttDiscovery.Bridge made = mqtt.bridge("it", "IT Zigbee", CHILDREN);
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.entitiesOf(d -> d.name().startsWith(made.childPrefix())).size() == CHILDREN);
        List<String> children = agent.entitiesOf(d -> d.name().startsWith(made.childPrefix()));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.allIn(children, false));
        DeviceRegistryEntry bridge = agent.device(made.name());
        assertThat(client.deviceRegistry().stream().filter(d -> d.name().startsWith(made.childPrefix())))
                .as("HA links every child to the bridge").hasSize(CHILDREN).allMatch(d -> d.viaDeviceId().equals(bridge.id()));
        // The defaults raise no false alert on a healthy install with a hub: every check, twice, past every threshold.
        for (Duration at : List.of(Duration.ZERO, THRESHOLD.plusMinutes(1))) {
            for (String check : diagnostics.checkNames()) {
                if (!check.equals(BuiltInCheck.FLAPPING.wire())) { // seen on the live stream only, which this test has not
                    assertThat(agent.runAt(at, check).status()).as(check).isNotIn(CheckStatus.FAILED, CheckStatus.SKIPPED);
                }
            }
        }
        assertThat(agent.written()).as("a healthy HA").extracting(Event::type)
                .doesNotContain(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ALERT_STORM);
        int healthy = agent.written().size();

        Duration outage = THRESHOLD.multipliedBy(2);
        mqtt.retain(made.availabilityTopic(), "offline");
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.allIn(children, true));
        assertThat(States.of(client)).as("the bridge's own connection entity still answers")
                .anyMatch(s -> s.entityId().startsWith("binary_sensor.") && s.entityId().contains("connection") && s.state().equals("on"));

        agent.runAt(outage, BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        agent.runAt(outage.plus(THRESHOLD).plusMinutes(1), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        agent.runAt(outage.plus(THRESHOLD).plusMinutes(2), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        assertThat(agent.written().subList(healthy, agent.written().size())).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventTypes.HA_ENTITY_UNAVAILABLE_LONG);
            assertThat(e.payload()).containsEntry("alert_key", "ha_entity_unavailable_long:hub:" + bridge.id())
                    .containsEntry("hub", "IT Zigbee bridge").containsEntry("device_count", CHILDREN)
                    .containsEntry("entity_count", CHILDREN).containsEntry("integration", "mqtt");
            assertThat(e.payload().get("entities")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrderElementsOf(children);
        });

        mqtt.retain(made.availabilityTopic(), "online");
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.allIn(children, false));
        agent.runAt(outage.plus(THRESHOLD).plusMinutes(3), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        agent.runAt(outage.plus(THRESHOLD).plusMinutes(4), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        List<Event> all = agent.written().subList(healthy, agent.written().size());
        assertThat(all).extracting(Event::type).containsExactly(EventTypes.HA_ENTITY_UNAVAILABLE_LONG, EventTypes.HA_ENTITY_RECOVERED);
        assertThat(all.get(1).correlationId()).isEqualTo(all.get(0).correlationId());
    }

    @Test
    void a_storm_of_5000_unavailable_states_writes_the_limit_plus_one_files_and_its_end_the_same() throws IOException {
        List<String> storm = IntStream.range(0, STORM).mapToObj(i -> String.format("sensor.ha_diag_storm_%04d", i)).toList();
        postedStates.addAll(storm);
        postStates(storm, "{\"state\": \"unavailable\", \"attributes\": {\"friendly_name\": \"Storm sensor\"}}");
        agent.runAt(Duration.ZERO, BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        CheckReport opened = agent.runAt(THRESHOLD.plusMinutes(1), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());

        assertThat(agent.eventFiles()).isEqualTo(51);
        assertThat(opened.eventsEmitted()).isEqualTo(51);
        List<Event> first = agent.written();
        assertThat(first.stream().filter(e -> e.type().equals(EventTypes.HA_ENTITY_UNAVAILABLE_LONG))).hasSize(50);
        assertThat(first.stream().filter(e -> e.type().equals(EventTypes.HA_ALERT_STORM))).singleElement().satisfies(e -> {
            assertThat(e.payload()).containsEntry("openings", STORM).containsEntry("written", 50).containsEntry("held", STORM - 50)
                    .containsEntry("by_kind", Map.of("entity", STORM)).containsEntry("alert_type", "ha_entity_unavailable_long");
            assertThat(e.payload().get("first_held_keys")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(20);
        });
        assertThat(store.allOpenAlerts()).as("every cause is still tracked").hasSize(STORM + 1);

        deleteStates(postedStates);
        agent.runAt(THRESHOLD.plusMinutes(2), BuiltInCheck.UNAVAILABLE_ENTITIES.wire());
        assertThat(agent.eventFiles()).as("50 resolutions and the storm's end").isEqualTo(102);
        List<Event> all = agent.written();
        Set<String> openedIds = first.stream().filter(e -> e.type().equals(EventTypes.HA_ENTITY_UNAVAILABLE_LONG))
                .map(Event::correlationId).collect(Collectors.toSet());
        assertThat(all.stream().filter(e -> e.type().equals(EventTypes.HA_ENTITY_RECOVERED)).map(Event::correlationId))
                .as("only what was opened on disk is resolved on disk").containsExactlyInAnyOrderElementsOf(openedIds);
        assertThat(all.stream().filter(e -> e.type().equals(EventTypes.HA_ALERT_STORM_RESOLVED))).hasSize(1);
        assertThat(store.allOpenAlerts()).isEmpty();
    }

    @Test
    void the_repair_issue_ha_raises_for_a_failing_automation_joins_the_automations_alert() {
        ha.fireEvent("ha_diag_test_fail");
        String automation = "automation.ha_diag_failing_automation";
        await().atMost(Duration.ofSeconds(30)).until(() -> client.repairIssues().stream()
                .anyMatch(i -> i.domain().equals("automation") && i.issueId().startsWith(automation)));
        agent.runAt(Duration.ZERO, BuiltInCheck.AUTOMATION_FAILURES.wire());
        CheckReport repairs = agent.runAt(Duration.ofMinutes(1), BuiltInCheck.REPAIRS.wire());

        List<Event> all = agent.written();
        assertThat(all.stream().filter(e -> e.type().equals(EventTypes.HA_AUTOMATION_FAILING))).hasSize(1);
        assertThat(all.stream().filter(e -> e.type().equals(EventTypes.HA_REPAIR_ISSUE)))
                .as("no second incident for the automation").noneMatch(e -> String.valueOf(e.payload().get("alert_key")).contains(automation));
        assertThat(repairs.note()).contains("attached").contains("ha_automation_failing:automation:" + automation);
        assertThat(repairs.measures()).containsEntry("attached_repair_issues", 1L);
    }

    // --- the storm's states, through HA's REST API ---

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private void postStates(List<String> ids, String body) {
        send(ids, id -> HttpRequest.newBuilder(URI.create(ha.url() + "/api/states/" + id))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private void deleteStates(List<String> ids) {
        send(ids, id -> HttpRequest.newBuilder(URI.create(ha.url() + "/api/states/" + id)).DELETE());
        ids.clear();
    }

    /** Eight requests in flight at a time: 5,000 one by one take long, and HA need not take them all at once. */
    private void send(List<String> ids, java.util.function.Function<String, HttpRequest.Builder> request) {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (String id : List.copyOf(ids)) {
            inFlight.acquireUninterruptibly();
            all.add(HTTP.sendAsync(request.apply(id).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ha.token().value())
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release())
                    .thenAccept(r -> assertThat(r.statusCode()).as(id).isIn(200, 201, 404)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
}
