package dev.hadiag.ha.client.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests a real Home Assistant: the official container image when a Docker engine is reachable,
 * otherwise the local process of deploy/dev/ha-dev.sh. One HA per test JVM, stopped when the JVM's tests
 * end. When neither can start, the tests are skipped with the reason, except under {@code CI=true},
 * where that is a failure: CI must really run them. {@code HA_DIAG_TEST_HA=local|container} forces a mode.
 */
public final class HomeAssistantExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HomeAssistantExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealHomeAssistant.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Holder holder = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class);
        return holder.get();
    }

    /** Lives in the root store, so JUnit closes it (and stops HA) once every test of the JVM has run. */
    private static final class Holder implements AutoCloseable {
        private RealHomeAssistant ha;
        private String failure;

        synchronized RealHomeAssistant get() {
            if (ha == null && failure == null) {
                try {
                    ha = startOne();
                } catch (Exception e) {
                    failure = e.getMessage();
                }
            }
            if (ha != null) {
                return ha;
            }
            String reason = "no real Home Assistant could be started: " + failure;
            if ("true".equals(System.getenv("CI"))) {
                throw new ParameterResolutionException(reason + " (CI=true: the integration tests must run)");
            }
            throw new TestAbortedException(reason);
        }

        private static RealHomeAssistant startOne() throws Exception {
            Path script = LocalProcessHomeAssistant.findScript();
            String mode = System.getenv().getOrDefault("HA_DIAG_TEST_HA", "auto");
            if (!mode.equals("local") && (mode.equals("container") || dockerAvailable())) {
                return ContainerHomeAssistant.start(script);
            }
            Path venvHass = Path.of(System.getenv().getOrDefault("HA_DIAG_HA_VENV",
                    System.getProperty("user.home") + "/.cache/ha-diag/ha-2024.3.3-py3.11"), "bin", "hass");
            if (!Files.isExecutable(venvHass)) {
                throw new IllegalStateException("no Docker engine, and Home Assistant is not installed locally ("
                        + venvHass + " missing): run deploy/dev/ha-dev.sh install");
            }
            return LocalProcessHomeAssistant.start(script);
        }

        private static boolean dockerAvailable() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        @Override
        public synchronized void close() throws Exception {
            if (ha instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
