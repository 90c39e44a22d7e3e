package dev.hadiag.core.alert;

import dev.hadiag.core.store.OpenAlert;
import dev.hadiag.core.analysis.Finding;
import java.util.Optional;

/** What the lifecycle decided for one alert key in one run; each decision becomes exactly one event. */
public sealed interface AlertDecision {

    String alertKey();

    String correlationId();

    /** A cause became an alert: emit the alert type with a new correlation id. */
    record Open(Finding finding, String correlationId) implements AlertDecision {
        @Override
        public String alertKey() {
            return finding.alertKey();
        }
    }

    /** Still open after the repeat interval: emit again with the open alert's correlation id. */
    record Repeat(Finding finding, OpenAlert alert) implements AlertDecision {
        @Override
        public String alertKey() {
            return alert.alertKey();
        }

        @Override
        public String correlationId() {
            return alert.correlationId();
        }
    }

    /**
     * The alert is over: emit its resolution type with its correlation id. {@code absorbedBy} names the
     * higher root cause's alert key when the problem goes on under that cause.
     */
    record Resolve(OpenAlert alert, Optional<String> absorbedBy) implements AlertDecision {
        @Override
        public String alertKey() {
            return alert.alertKey();
        }

        @Override
        public String correlationId() {
            return alert.correlationId();
        }
    }
}
