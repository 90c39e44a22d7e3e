package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hadiag.core.event.EventTypes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/service.yaml, which the homelab's deploy tooling reads, lists what the agent really writes. */
class ServiceManifestTest {

    /** Every event type the agent can write: EventTypes' constants, but the platform's own (other tools write those). */
    static List<String> agentTypes() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (Field field : EventTypes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String type = (String) field.get(null);
                if (!EventTypes.PLATFORM.contains(type)) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    @Test
    void the_manifest_lists_every_event_type_the_agent_writes_and_no_other() throws Exception {
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(DeployDoc.REPO.resolve("deploy/service.yaml").toFile());
        List<String> listed = new ArrayList<>();
        manifest.path("events").path("types").forEach(type -> listed.add(type.asText()));
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(agentTypes());
        assertThat(manifest.path("events").path("source").asText()).isEqualTo("ha-diag-agent");
    }

    @Test
    void the_manifest_lists_what_the_fleet_view_writes() throws Exception {
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(DeployDoc.REPO.resolve("deploy/service.yaml").toFile());
        List<String> listed = new ArrayList<>();
        manifest.path("events").path("fleet_types").forEach(type -> listed.add(type.asText()));
        assertThat(listed).containsExactly(EventTypes.NODE_OFFLINE, EventTypes.NODE_ONLINE);
        assertThat(manifest.path("events").path("fleet_source").asText()).isEqualTo("ha-diag-fleet");
    }
}
