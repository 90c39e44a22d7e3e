package dev.hadiag.app.agent;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Debian "host" with systemd as PID 1 (podman --systemd=always; deploy/dev/systemd-host.Containerfile, built by
 * deploy/dev/image.sh), the repository at /src and host networking, so what runs in it reaches the test's processes on
 * 127.0.0.1: where the tests run DEPLOY.md's systemd units as written.
 */
final class SystemdHost implements AutoCloseable {

    static final String IMAGE = "localhost/ha-diag-systemd-host:bookworm";
    private static final Path REPO = DeployDoc.REPO;
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final String name;

    private SystemdHost(String name) {
        this.name = name;
    }

    /** Skips the test, with the reason, where no such host can run here (a failure under CI=true). */
    static void assumeAvailable() {
        HostCommand.assumeAvailable(!"root".equals(System.getProperty("user.name")) ? "not root (podman --systemd=always)"
                : !HostCommand.onPath("podman") ? "podman is not installed (deploy/dev/podman-setup.sh)"
                : podman("image", "exists", IMAGE).exit() != 0 ? IMAGE + " is not built (deploy/dev/image.sh)" : null);
    }

    /**
     * Starts one and waits until systemd is up; removed again if it does not get there.
     *
     * @param volumes more podman {@code -v} arguments, {@code HOST:CONTAINER[:ro]}
     */
    static SystemdHost start(String name, String... volumes) {
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name, "--systemd=always", "--network", "host",
                "-v", REPO + ":/src:ro", "-w", "/src"));
        for (String volume : volumes) {
            run.addAll(List.of("-v", volume));
        }
        run.add(IMAGE);
        SystemdHost host = new SystemdHost(name);
        try {
            podman(run.toArray(String[]::new)).ok();
            await("systemd up").atMost(Duration.ofSeconds(60)).until(() -> host.exec("systemctl", "is-system-running").output().trim()
                    .matches("running|degraded"));
            return host;
        } catch (RuntimeException | AssertionError e) {
            host.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /** A command in the host, as root. */
    HostCommand exec(String... command) {
        List<String> all = new ArrayList<>(List.of("podman", "exec", name));
        all.addAll(List.of(command));
        return HostCommand.run(REPO, Map.of(), LIMIT, all);
    }

    static HostCommand podman(String... args) {
        List<String> all = new ArrayList<>(List.of("podman"));
        all.addAll(List.of(args));
        return HostCommand.run(REPO, Map.of(), LIMIT, all);
    }

    @Override
    public void close() {
        podman("rm", "--force", "--time", "0", name);
    }
}
