package dev.hadiag.app.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * What logback uses when the JVM starts, before ha-diag has read its settings (found through
 * {@code META-INF/services}): console lines at INFO on stderr. {@link Logging#configure} then applies the settings. A JVM
 * started with {@code -Dlogback.configurationFile} gets that file, read by logback itself, and ha-diag leaves it alone.
 */
public final class StartupLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(Logging.LOGBACK_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback's own configurator reads the operator's file
        }
        BundledLogging.apply(context, LogSettings.Format.CONSOLE, LogSettings.Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
