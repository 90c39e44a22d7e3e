package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16's done-when for silences, against a real Home Assistant with the jar as processes: a silence written by the
 * CLI (another process, the same database) suppresses the event of an entity that goes down and its expiry writes it;
 * HA's maintenance entity {@code on} suppresses, {@code off} releases.
 */
@ExtendWith(HomeAssistantExtension.class)
class SilenceJarIT {

    private static final String HALLWAY_SWITCH = "input_boolean.hallway_sensor_online";
    private static final String HALLWAY = "ha_entity_unavailable_long:entity:sensor.hallway_temperature";
    /** A state set over REST: HA answers for it like for any entity, no configuration needed. */
    private static final String MAINTENANCE = "input_boolean.ha_diag_it_maintenance";
    /** The field's freeze (issue 24): an entity id of 80 {@code a}s, which the glob below almost matches. */
    private static final String LONG_ENTITY = "sensor." + "a".repeat(80);
    private static final String MANY_STARS = "*a".repeat(15) + "*b";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final RealHomeAssistant ha;
    private final Path dir;
    private final Path events;
    private final Path config;
    private final List<AgentProcess> agents = new ArrayList<>();

    SilenceJarIT(RealHomeAssistant ha, @TempDir Path dir) throws IOException {
        this.ha = ha;
        this.dir = dir;
        this.events = dir.resolve("events");
        this.config = dir.resolve("ha-diag-agent.yaml");
        Files.writeString(config, "maintenance_entity: " + MAINTENANCE + "\n" + AgentProcess.ON_DEMAND_CHECKS);
    }

    @AfterEach
    void restore() throws Exception {
        for (AgentProcess agent : agents) {
            agent.kill();
        }
        ha.setInputBoolean(HALLWAY_SWITCH, true);
        ha.setState(MAINTENANCE, "{\"state\": \"off\"}");
        ha.removeState(LONG_ENTITY);
    }

    private Map<String, String> env() {
        return AgentProcess.environment(ha, dir, "silence-it", config);
    }

    private AgentProcess startAgent() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, List.of(), env(), "run");
        agents.add(agent);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> agent.get("/health").statusCode() == 200);
        return agent;
    }

    private int cli(String... args) throws Exception {
        AgentProcess command = AgentProcess.start(dir, List.of(), env(), args);
        int code = command.waitFor();
        assertThat(code).as(command.stderr()).isZero();
        return code;
    }

    private HttpResponse<String> trigger(AgentProcess agent, String check) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port + "/trigger/" + check))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void hallwayGoesDown(AgentProcess agent) throws Exception {
        ha.setInputBoolean(HALLWAY_SWITCH, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, "sensor.hallway_temperature", "unavailable"));
        assertThat(trigger(agent, "unavailable_entities").statusCode()).isEqualTo(200);
    }

    private List<Event> hallwayOpenings() {
        return AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG).stream()
                .filter(e -> HALLWAY.equals(e.payload().get("alert_key"))).toList();
    }

    private String openAlertCorrelationId(AgentProcess agent) throws Exception {
        for (JsonNode alert : AgentProbe.JSON.readTree(agent.get("/alerts").body()).get("alerts")) {
            if (alert.get("alert_key").asText().equals(HALLWAY)) {
                return alert.get("correlation_id").asText();
            }
        }
        throw new AssertionError("no open alert " + HALLWAY);
    }

    @Test
    void a_silence_written_by_the_cli_suppresses_an_entity_going_down_and_its_expiry_writes_the_event() throws Exception {
        AgentProcess agent = startAgent();
        cli("silence", "add", "--match", "entity=sensor.hallway_*", "--for", "15s", "--comment", "hallway batteries");
        await().atMost(Duration.ofSeconds(10)).until(() -> !AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_STARTED).isEmpty());

        hallwayGoesDown(agent);
        assertThat(hallwayOpenings()).as("silenced: tracked, not written").isEmpty();
        String correlationId = openAlertCorrelationId(agent);

        await().atMost(Duration.ofSeconds(40)).until(() -> !hallwayOpenings().isEmpty());
        assertThat(hallwayOpenings()).singleElement().satisfies(opening -> {
            assertThat(opening.correlationId()).isEqualTo(correlationId);
            assertThat(opening.payload()).containsKey("held_since");
        });
        assertThat(AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_ENDED)).singleElement()
                .satisfies(ended -> assertThat(ended.payload()).containsEntry("comment", "hallway batteries"));

        ha.setInputBoolean(HALLWAY_SWITCH, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> !AgentProbe.entityIs(ha, "sensor.hallway_temperature", "unavailable"));
        assertThat(trigger(agent, "unavailable_entities").statusCode()).isEqualTo(200);
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_RECOVERED)).singleElement()
                .extracting(Event::correlationId).isEqualTo(correlationId);
        assertThat(agent.stop()).isZero();
    }

    @Test
    void the_maintenance_entity_on_suppresses_every_alert_and_off_releases_them() throws Exception {
        ha.setState(MAINTENANCE, "{\"state\": \"off\"}");
        AgentProcess agent = startAgent();
        ha.setState(MAINTENANCE, "{\"state\": \"on\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> !AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_STARTED).isEmpty());
        assertThat(AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_STARTED).get(0).payload()).containsEntry("maintenance", true);

        hallwayGoesDown(agent);
        assertThat(hallwayOpenings()).as("maintenance: tracked, not written").isEmpty();

        ha.setState(MAINTENANCE, "{\"state\": \"off\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> !hallwayOpenings().isEmpty());
        assertThat(AgentProbe.written(events, EventTypes.HA_DIAG_SILENCE_ENDED)).hasSize(1);
        assertThat(hallwayOpenings()).singleElement().extracting(Event::correlationId).isEqualTo(openAlertCorrelationId(agent));
        assertThat(agent.stop()).isZero();
    }

    /**
     * Globs compiled to backtracking regular expressions spun for hours on this one: every check stopped, {@code /health}
     * said 200 and SIGTERM was ignored. Now the glob is matched at once, the alert it does not match is written, the
     * checks go on and the agent stops on SIGTERM.
     */
    @Test
    void a_silence_glob_of_many_stars_on_a_long_entity_id_holds_no_check_and_the_agent_stops_on_sigterm() throws Exception {
        AgentProcess agent = startAgent();
        cli("silence", "add", "--match", "entity=" + MANY_STARS, "--for", "1h", "--comment", "hostile glob");
        ha.setState(LONG_ENTITY, "{\"state\": \"unavailable\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> AgentProbe.entityIs(ha, LONG_ENTITY, "unavailable"));

        assertThat(trigger(agent, "unavailable_entities").statusCode()).isEqualTo(200);
        assertThat(trigger(agent, "heartbeat").statusCode()).isEqualTo(200);
        assertThat(agent.get("/health").statusCode()).isEqualTo(200);
        assertThat(AgentProbe.written(events, EventTypes.HA_ENTITY_UNAVAILABLE_LONG)).as("not matched by the silence: written")
                .anySatisfy(opening -> assertThat(opening.payload().get("alert_key").toString()).endsWith(LONG_ENTITY));
        assertThat(agent.stop()).isZero();
    }
}
