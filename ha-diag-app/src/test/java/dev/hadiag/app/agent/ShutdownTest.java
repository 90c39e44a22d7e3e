package dev.hadiag.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's shutdown: every step runs in its order even when one throws, and the failure is not lost. */
class ShutdownTest {

    private final List<String> stopped = new ArrayList<>();

    @Test
    void every_step_runs_in_order_even_after_a_step_throws_and_the_first_failure_is_thrown_with_the_others() {
        Shutdown shutdown = new Shutdown()
                .then("http", "open", () -> stopped.add("http"))
                .then("scheduler", "open", () -> {
                    stopped.add("scheduler");
                    throw new IllegalStateException("scheduler stuck");
                })
                .then("relay", "open", () -> {
                    stopped.add("relay");
                    throw new IOException("disk gone");
                })
                .then("database", "open", () -> stopped.add("database"));

        assertThatThrownBy(shutdown::run)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopping scheduler failed: scheduler stuck")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("disk gone"));
        assertThat(stopped).containsExactly("http", "scheduler", "relay", "database");
    }

    @Test
    void a_resource_never_opened_is_skipped() {
        new Shutdown().then("http", null, () -> stopped.add("http")).then("database", "open", () -> stopped.add("database")).run();

        assertThat(stopped).containsExactly("database");
    }

    @Test
    void an_interrupted_step_keeps_the_interrupt_for_the_caller() {
        Shutdown shutdown = new Shutdown().then("watchdog", "open", () -> {
            throw new InterruptedException("stop now");
        }).then("database", "open", () -> stopped.add("database"));

        assertThatThrownBy(shutdown::run).hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(stopped).containsExactly("database");
    }
}
