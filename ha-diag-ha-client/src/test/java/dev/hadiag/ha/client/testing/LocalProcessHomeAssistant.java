package dev.hadiag.ha.client.testing;

import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** HA (and mosquitto) as local processes, driven through deploy/dev/ha-dev.sh. */
final class LocalProcessHomeAssistant implements RealHomeAssistant, AutoCloseable {

    private final Path script;
    private final Path stateDirectory;
    private final String url;
    private final AccessToken token;
    private final OptionalInt mqttPort;

    private LocalProcessHomeAssistant(Path script, Path stateDirectory, String url, AccessToken token, OptionalInt mqttPort) {
        this.script = script;
        this.stateDirectory = stateDirectory;
        this.url = url;
        this.token = token;
        this.mqttPort = mqttPort;
    }

    /** The dev script, found by walking up from the working directory (a module or the repository root). */
    static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy/dev/ha-dev.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("deploy/dev/ha-dev.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Whether ha-dev.sh has the requested version ({@code HA_DIAG_HA_VERSION}) installed. */
    static boolean installed(Path script) {
        try {
            run(script, "installed");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static LocalProcessHomeAssistant start(Path script) throws IOException {
        Path state = Files.createTempDirectory("ha-diag-it-ha-");
        Map<String, String> values = parse(run(script, "start", state.toString()));
        String mqtt = values.get("HA_MQTT_PORT");
        return new LocalProcessHomeAssistant(script, state, values.get("HA_URL"), new AccessToken(values.get("HA_TOKEN")),
                mqtt == null || mqtt.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(mqtt.trim())));
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> values = new HashMap<>();
        output.lines().filter(l -> l.contains("=")).forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        if (!values.containsKey("HA_URL") || !values.containsKey("HA_TOKEN")) {
            throw new IllegalStateException("ha-dev.sh start printed no HA_URL/HA_TOKEN");
        }
        return values;
    }

    static String run(Path script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("ha-dev.sh " + String.join(" ", args) + " failed:\n"
                        + output.replaceAll("HA_TOKEN=\\S+", "HA_TOKEN=[redacted]"));
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private void control(String command) {
        try {
            run(script, command, stateDirectory.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public AccessToken token() {
        return token;
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void stopHomeAssistant() {
        control("ha-stop");
    }

    @Override
    public void killHomeAssistant() {
        control("ha-kill");
    }

    @Override
    public void startHomeAssistant() {
        control("ha-start");
    }

    @Override
    public void awaitHomeAssistantExited(Duration atMost) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(stateDirectory.resolve("ha.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return; // no pid file: not running
        }
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(atMost.toMillis(), TimeUnit.MILLISECONDS).join());
    }

    @Override
    public OptionalInt mqttPort() {
        return mqttPort;
    }

    @Override
    public boolean controlsMqttBroker() {
        return true;
    }

    @Override
    public void stopMqttBroker() {
        control("mqtt-stop");
    }

    @Override
    public void startMqttBroker() {
        control("mqtt-start");
    }

    @Override
    public void close() {
        control("stop");
    }

    @Override
    public String toString() {
        return "local Home Assistant at " + url + " (state in " + stateDirectory + ")";
    }
}
