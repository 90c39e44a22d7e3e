package dev.hadiag.ha.client.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests a real Home Assistant of version {@code HA_DIAG_HA_VERSION} (default 2024.3.3): the local
 * process of deploy/dev/ha-dev.sh when that version is installed, otherwise the official container image
 * when a Docker engine is reachable. One HA per test JVM, stopped when the JVM's tests end. When neither
 * can start, the tests are skipped with the reason, except under {@code CI=true}, where that is a failure:
 * CI must really run them. {@code HA_DIAG_TEST_HA=local|container} forces a mode (a forced container
 * without an engine is skipped the same way).
 */
public final class HomeAssistantExtension implements ExecutionCondition, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HomeAssistantExtension.class);

    /**
     * Starts HA (or finds out it cannot) before the test class is constructed: when it cannot, the class is skipped
     * with the reason (JUnit constructs the class before it evaluates a test's conditions, and an abort from the
     * constructor's parameter resolution would be an error, not a skip).
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        Holder holder = holder(context);
        return holder.available() ? ConditionEvaluationResult.enabled("a real Home Assistant is running")
                : ConditionEvaluationResult.disabled(holder.unavailableReason());
    }

    private static Holder holder(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealHomeAssistant.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return holder(context).get();
    }

    /** Lives in the root store, so JUnit closes it (and stops HA) once every test of the JVM has run. */
    private static final class Holder implements AutoCloseable {
        private RealHomeAssistant ha;
        private String failure;

        /** Starts HA on first use; false when it cannot start (under CI=true that is a failure instead). */
        synchronized boolean available() {
            if (ha == null && failure == null) {
                try {
                    ha = startOne();
                } catch (Exception e) {
                    failure = e.getMessage();
                }
            }
            if (ha == null && "true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(unavailableReason() + " (CI=true: the integration tests must run)");
            }
            return ha != null;
        }

        String unavailableReason() {
            return "no real Home Assistant could be started: " + failure;
        }

        synchronized RealHomeAssistant get() {
            if (!available()) {
                throw new TestAbortedException(unavailableReason());
            }
            return ha;
        }

        private static RealHomeAssistant startOne() throws Exception {
            Path script = LocalProcessHomeAssistant.findScript();
            String version = RealHomeAssistant.requestedVersion();
            String mode = System.getenv().getOrDefault("HA_DIAG_TEST_HA", "auto");
            switch (mode) {
                case "local" -> {
                    return LocalProcessHomeAssistant.start(script);
                }
                case "container" -> {
                    requireDocker();
                    return ContainerHomeAssistant.start(script, version);
                }
                case "auto" -> {
                    if (LocalProcessHomeAssistant.installed(script)) {
                        return LocalProcessHomeAssistant.start(script);
                    }
                    if (dockerAvailable()) {
                        return ContainerHomeAssistant.start(script, version);
                    }
                    throw new IllegalStateException("Home Assistant " + version + " is not installed locally (run HA_DIAG_HA_VERSION="
                            + version + " deploy/dev/ha-dev.sh install) and no Docker engine is reachable");
                }
                default -> throw new IllegalStateException("HA_DIAG_TEST_HA must be local, container or auto, not " + mode);
            }
        }

        private static void requireDocker() {
            if (!dockerAvailable()) {
                throw new IllegalStateException("HA_DIAG_TEST_HA=container, but no Docker engine is reachable (podman: run "
                        + "deploy/dev/podman-setup.sh and export the DOCKER_HOST and TESTCONTAINERS_RYUK_DISABLED it prints)");
            }
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
