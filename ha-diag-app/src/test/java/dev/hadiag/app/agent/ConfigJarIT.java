package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a process, with a configuration an operator got wrong: no Home Assistant is involved. */
class ConfigJarIT {

    @TempDir
    Path dir;

    private Map<String, String> badConfig() {
        return Map.of("HA_URL", "ftp://ha.lan:8123", "HA_TOKEN", "not-a-real-token-4f1c", "HA_DIAG_EVENTS_DIR", dir.resolve("events").toString(),
                "HA_DIAG_DB", dir.resolve("ha_diag.db").toString(), "HA_DIAG_CONFIG", "");
    }

    @Test
    void run_with_a_bad_configuration_exits_2_at_once_by_default() throws Exception {
        try (AgentProcess run = AgentProcess.start(dir, List.of(), badConfig(), "run")) {
            assertThat(run.waitFor()).isEqualTo(2);
            assertThat(run.stderr()).contains("run: the configuration has 1 problem:", "ha_url (env HA_URL)");
        }
    }

    @Test
    void with_HA_DIAG_ON_CONFIG_ERROR_wait_run_prints_the_problems_once_and_waits_for_SIGTERM_then_exits_2() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(badConfig());
        env.put("HA_DIAG_ON_CONFIG_ERROR", "wait");
        try (AgentProcess run = AgentProcess.start(dir, List.of(), env, "run")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stderr().contains("waiting to be stopped"));
            assertThat(run.isAlive()).as("waits instead of exiting into the restart policy").isTrue();
            assertThat(run.stderr().split("the configuration has", -1)).as("the problems, once").hasSize(2);
            assertThat(run.stderr()).contains("ha_url (env HA_URL)").doesNotContain("not-a-real-token-4f1c");
            assertThat(run.terminate()).isEqualTo(2);
        }
    }
}
