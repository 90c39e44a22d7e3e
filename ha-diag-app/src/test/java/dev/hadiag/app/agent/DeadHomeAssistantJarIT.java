package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar started against a Home Assistant that is not there (nothing listens on its port), as a new operator tries it. */
class DeadHomeAssistantJarIT {

    @TempDir
    Path dir;

    @Test
    void the_dead_websocket_event_carries_the_connection_error_and_the_page_shows_the_same_text_as_its_timeline() throws Exception {
        Path config = Files.writeString(dir.resolve("ha-diag-agent.yaml"), "websocket: { grace: 1s }\n" + AgentProcess.ON_DEMAND_CHECKS);
        int nothingListens = AgentProcess.freePort();
        Map<String, String> env = Map.of("HA_URL", "http://127.0.0.1:" + nothingListens, "HA_TOKEN", "dead-ha-token-9d2e", "NODE_NAME", "dead-it",
                "HA_DIAG_EVENTS_DIR", dir.resolve("events").toString(), "HA_DIAG_DB", dir.resolve("ha_diag.db").toString(),
                "HA_DIAG_CONFIG", config.toString());
        try (AgentProcess agent = AgentProcess.start(dir, List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !AgentProbe.written(dir.resolve("events"), EventTypes.HA_WEBSOCKET_DEAD).isEmpty());
            Event dead = AgentProbe.written(dir.resolve("events"), EventTypes.HA_WEBSOCKET_DEAD).get(0);
            assertThat((String) dead.payload().get("reason")).contains("ConnectException", "127.0.0.1:" + nothingListens);
            String summary = (String) dead.payload().get("summary");
            assertThat(summary).contains("ConnectException");

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> agent.get("/").body().contains("data-correlation-id=\""
                    + dead.correlationId() + "\" data-state=")); // the timeline's incident (the alert carries its id too)
            String page = agent.get("/").body();
            Matcher alert = Pattern.compile("data-alert-key=\"ha_websocket_dead:ha:homeassistant\"[^>]*>.*?<div class=\"text\">(.*?)</div>",
                    Pattern.DOTALL).matcher(page);
            assertThat(alert.find()).as("the open alert on the page").isTrue();
            Matcher incident = Pattern.compile("<li class=\"incident [^\"]*\" data-correlation-id=\"" + Pattern.quote(dead.correlationId())
                    + "\".*?<div class=\"text\">(.*?)</div>", Pattern.DOTALL).matcher(page);
            assertThat(incident.find()).as("the incident in the timeline").isTrue();
            assertThat(alert.group(1)).isEqualTo(incident.group(1)).contains("ConnectException");
            assertThat(page).doesNotContain("dead-ha-token-9d2e");
            assertThat(agent.stop()).isZero();
        }
    }
}
