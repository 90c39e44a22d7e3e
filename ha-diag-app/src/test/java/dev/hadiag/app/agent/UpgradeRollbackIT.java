package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.app.files.SchemaOneDatabase;
import dev.hadiag.store.sqlite.SqliteDiagnosticStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEPLOY.md's upgrade and rollback under systemd, run as written (as root, the paths under a temporary root, the
 * systemctl lines left out: no systemd here) around the real agent: it migrates a database of the first schema with
 * an open alert, and the rollback brings back the file as it was. The "previous" jar is this build's own: what is
 * tested is the procedure and the database, not an old binary.
 */
class UpgradeRollbackIT {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path root;

    /** A block as root runs it here: no sudo, and no systemctl (the unit is SystemdUnitIT's). */
    private HostCommand run(String marker, Map<String, String> env) throws Exception {
        String script = DeployDoc.underRoot(DeployDoc.asRoot(marker), root).lines().filter(line -> !line.startsWith("systemctl "))
                .collect(Collectors.joining("\n"));
        HostCommand result = HostCommand.run(DeployDoc.REPO, env, LIMIT, List.of("bash", "-euo", "pipefail", "-c", script));
        assertThat(result.exit()).as(marker + ":\n" + script + "\n" + result.output()).isZero();
        return result;
    }

    @Test
    void the_upgrade_backs_the_old_database_up_and_the_rollback_restores_it_with_its_open_alert() throws Exception {
        Path install = Files.createDirectories(root.resolve("opt/ha-diag"));
        Path state = Files.createDirectories(root.resolve("var/lib/ha-diag-agent"));
        // What step 3 installed for the version running before the upgrade.
        for (String file : List.of("bin/ha-diag", "bin/ha-diag-cds", "bin/ha-diag.classlist")) {
            Files.copy(DeployDoc.REPO.resolve(file), install.resolve(Path.of(file).getFileName()));
        }
        Files.copy(DeployDoc.REPO.resolve("ha-diag-app/target/ha-diag.jar"), install.resolve("ha-diag.jar"));
        Path db = state.resolve("ha_diag.db");
        SchemaOneDatabase.create(db, Instant.now().minusSeconds(3600).toEpochMilli());
        Map<String, String> env = Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());

        run("upgrade-systemd", env);
        assertThat(install.resolve("previous/ha-diag.jar")).exists();
        assertThat(install.resolve("ha-diag.jsa")).as("ha-diag-cds ran").exists();

        // The restarted unit: the agent migrates the database, after backing it up.
        Path events = Files.createDirectories(root.resolve("opt/homelab/events"));
        Map<String, String> agentEnv = Map.of("HA_URL", "http://127.0.0.1:" + AgentProcess.freePort(), "HA_TOKEN", "upgrade-it-token",
                "NODE_NAME", "upgrade-it", "HA_DIAG_EVENTS_DIR", events.toString(), "HA_DIAG_DB", db.toString(), "HA_DIAG_CONFIG", "",
                "HA_DIAG_LOG_FORMAT", "console");
        try (AgentProcess agent = AgentProcess.start(root, List.of(), agentEnv, "run")) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> agent.get("/alerts").body().contains(SchemaOneDatabase.CORRELATION_ID));
            assertThat(agent.stdout() + agent.stderr()).contains("has an older schema: backed up to " + state + "/ha_diag.db.schema1-");
            assertThat(agent.stop()).isZero();
        }
        assertThat(SchemaOneDatabase.schema(db)).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
        Path backup;
        try (Stream<Path> files = Files.list(state)) {
            backup = files.filter(p -> p.getFileName().toString().matches("ha_diag\\.db\\.schema1-\\d{8}T\\d{6}Z\\.bak")).findFirst().orElseThrow();
        }

        run("rollback-systemd", env);
        assertThat(SchemaOneDatabase.schema(db)).as("the database as the previous version left it").isEqualTo(1);
        assertThat(SchemaOneDatabase.openCorrelationId(db, SchemaOneDatabase.OPEN_ALERT_KEY)).isEqualTo(SchemaOneDatabase.CORRELATION_ID);
        assertThat(Files.mismatch(db, backup)).as("the restored file is the backup").isEqualTo(-1);
        assertThat(SchemaOneDatabase.schema(state.resolve("after-upgrade/ha_diag.db"))).isEqualTo(SqliteDiagnosticStore.SCHEMA_VERSION);
        assertThat(state.resolve("ha_diag.db-wal")).doesNotExist();
        assertThat(Files.mismatch(install.resolve("ha-diag.jar"), install.resolve("previous/ha-diag.jar"))).isEqualTo(-1);
    }
}
