package dev.hadiag.app.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaDiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HaDiscovery.Message message) throws Exception {
        return JSON.readTree(message.payload());
    }

    @Test
    void the_problem_binary_sensor_and_the_open_alerts_sensor_are_on_the_nodes_device_with_full_keys() throws Exception {
        HaDiscovery discovery = new HaDiscovery("homeassistant", "homelab", "piha");
        List<HaDiscovery.Message> configs = discovery.configs("1.4.0");

        assertThat(configs).extracting(HaDiscovery.Message::topic)
                .containsExactly("homeassistant/binary_sensor/ha_diag_piha/problem/config", "homeassistant/sensor/ha_diag_piha/open_alerts/config");
        JsonNode problem = json(configs.get(0));
        assertThat(problem.path("name").asText()).isEqualTo("Problem");
        assertThat(problem.path("unique_id").asText()).isEqualTo("ha_diag_piha_problem");
        assertThat(problem.path("state_topic").asText()).isEqualTo("homelab/agents/piha/problem");
        assertThat(problem.path("device_class").asText()).isEqualTo("problem");
        assertThat(problem.path("payload_on").asText()).isEqualTo("ON");
        assertThat(problem.path("payload_off").asText()).isEqualTo("OFF");
        JsonNode open = json(configs.get(1));
        assertThat(open.path("name").asText()).isEqualTo("Open alerts");
        assertThat(open.path("unique_id").asText()).isEqualTo("ha_diag_piha_open_alerts");
        assertThat(open.path("state_topic").asText()).isEqualTo("homelab/agents/piha/open_alerts");
        assertThat(open.path("state_class").asText()).isEqualTo("measurement");
        for (JsonNode config : List.of(problem, open)) {
            // Availability is the relay's own status topic, with the words its clean stop and its last will publish.
            assertThat(config.path("availability_topic").asText()).isEqualTo("homelab/agents/piha/status");
            assertThat(config.path("payload_available").asText()).isEqualTo("online");
            assertThat(config.path("payload_not_available").asText()).isEqualTo("offline");
            assertThat(config.path("device").path("identifiers")).hasSize(1);
            assertThat(config.path("device").path("identifiers").get(0).asText()).isEqualTo("ha_diag_piha");
            assertThat(config.path("device").path("name").asText()).isEqualTo("ha-diag piha");
            assertThat(config.path("device").path("sw_version").asText()).isEqualTo("1.4.0");
            assertThat(config.path("origin").path("name").asText()).isEqualTo("ha-diag");
            // Full keys only: HA's abbreviations (stat_t, uniq_id, avty_t, dev, …) are not needed, and not used.
            config.fieldNames().forEachRemaining(key -> assertThat(key).doesNotEndWith("_t").isNotIn("dev", "o", "uniq_id", "pl_on", "pl_off"));
        }
    }

    @Test
    void the_state_is_ON_or_OFF_and_the_count_as_plain_payloads() {
        HaDiscovery discovery = new HaDiscovery("homeassistant", "homelab", "piha");

        assertThat(discovery.state(new HaDiscovery.State(3, true))).extracting(HaDiscovery.Message::topic, HaDiscovery.Message::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("homelab/agents/piha/problem", "ON"),
                        org.assertj.core.groups.Tuple.tuple("homelab/agents/piha/open_alerts", "3"));
        assertThat(discovery.state(new HaDiscovery.State(0, false))).extracting(HaDiscovery.Message::text).containsExactly("OFF", "0");
    }

    @Test
    void a_node_name_hass_topics_do_not_allow_becomes_a_stable_slug_that_keeps_two_such_names_apart() throws Exception {
        assertThat(HaDiscovery.slug("chelsty-infra_2")).isEqualTo("chelsty-infra_2");
        String dotted = HaDiscovery.slug("pi.lab");
        assertThat(dotted).matches("pi_lab_[0-9a-f]{8}").isEqualTo(HaDiscovery.slug("pi.lab"));
        assertThat(dotted).isNotEqualTo(HaDiscovery.slug("pi_lab")).isNotEqualTo(HaDiscovery.slug("pi lab"));
        assertThat(HaDiscovery.slug("")).matches("[0-9a-f]{8}");

        HaDiscovery odd = new HaDiscovery("ha/discovery", "lab/site", "lab/pi+1#");
        String slug = HaDiscovery.slug("lab/pi+1#");
        assertThat(slug).matches("lab_pi_1__[0-9a-f]{8}");
        assertThat(odd.problemConfigTopic()).isEqualTo("ha/discovery/binary_sensor/ha_diag_" + slug + "/problem/config");
        // The state and status topics escape the node as every relay topic does (MQTT's wildcards and level separator).
        assertThat(odd.problemTopic()).isEqualTo("lab/site/agents/lab_pi_1_/problem");
        assertThat(odd.openAlertsTopic()).isEqualTo("lab/site/agents/lab_pi_1_/open_alerts");
        JsonNode config = json(odd.configs("1.0").get(1));
        assertThat(config.path("availability_topic").asText()).isEqualTo("lab/site/agents/lab_pi_1_/status");
        assertThat(config.path("unique_id").asText()).isEqualTo("ha_diag_" + slug + "_open_alerts");
        // The device keeps the real name, JSON-escaped by the writer.
        assertThat(config.path("device").path("name").asText()).isEqualTo("ha-diag lab/pi+1#");
        assertThat(new HaDiscovery("homeassistant", "homelab", "say \"hi\"").configs("1").get(0).text()).contains("ha-diag say \\\"hi\\\"");
    }
}
