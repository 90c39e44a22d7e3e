package dev.hadiag.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class StartupLoggingTest {

    @Test
    void the_start_up_configuration_is_plain_lines_on_stderr_at_info_with_the_chatty_libraries_at_warn() {
        LoggerContext context = new LoggerContext();
        assertThat(new StartupLogging().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        assertThat(appenders).singleElement().isInstanceOfSatisfying(ConsoleAppender.class, console -> {
            assertThat(console.getTarget()).isEqualTo("System.err");
            assertThat(console.isStarted()).isTrue();
        });
        for (String chatty : List.of("org.eclipse.jetty", "org.quartz", "io.javalin")) {
            assertThat(context.getLogger(chatty).getLevel()).isEqualTo(Level.WARN);
        }

        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((ConsoleAppender<ILoggingEvent>) appenders.get(0)).getEncoder();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.hadiag.app.agent.Agent"), Level.INFO, "started", null, null);
        event.setTimeStamp(1_796_630_400_123L); // 2026-12-07T08:00:00.123Z
        event.setMDCPropertyMap(Map.of("check", "heartbeat"));
        assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
                .isEqualTo("2026-12-07T08:00:00.123Z INFO  Agent check=heartbeat - started" + System.lineSeparator());
    }

    @Test
    void a_jvm_given_its_own_logback_file_is_left_to_logbacks_own_configurator() {
        String before = System.getProperty(Logging.LOGBACK_PROPERTY);
        System.setProperty(Logging.LOGBACK_PROPERTY, "/nonexistent/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            assertThat(new StartupLogging().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(Logging.LOGBACK_PROPERTY);
            } else {
                System.setProperty(Logging.LOGBACK_PROPERTY, before);
            }
        }
    }

    @Test
    void logback_finds_it_as_a_service_as_it_found_the_bundled_logback_xml() {
        assertThat(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream().<Class<?>>map(p -> p.type()))
                .contains(StartupLogging.class);
    }
}
