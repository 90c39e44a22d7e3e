package dev.hadiag.core.alert;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.store.AlertIntent;
import dev.hadiag.core.store.OpenAlert;
import java.time.Instant;
import java.util.Optional;

/** What the lifecycle decided for one alert key in one run; each decision becomes exactly one event. */
public sealed interface AlertDecision {

    String alertKey();

    String correlationId();

    /** The intent recorded before this decision's event is written by {@code check} at {@code at} (see {@link AlertDelivery}). */
    default AlertIntent intent(String check, Instant at) {
        if (this instanceof Open open) {
            Finding finding = open.finding();
            return new AlertIntent(AlertIntent.Kind.OPEN, new OpenAlert(finding.alertKey(), check, finding.type(), open.correlationId(), at, at,
                    finding.entities()), at, "");
        }
        if (this instanceof Repeat repeat) {
            return new AlertIntent(AlertIntent.Kind.REPEAT, repeat.alert(), at, "");
        }
        Resolve resolve = (Resolve) this;
        return new AlertIntent(AlertIntent.Kind.RESOLVE, resolve.alert(), at, resolve.absorbingKey());
    }

    /** A decision about an alert already open: it keeps that alert's key and correlation id. */
    sealed interface OnOpenAlert extends AlertDecision {
        OpenAlert alert();

        @Override
        default String alertKey() {
            return alert().alertKey();
        }

        @Override
        default String correlationId() {
            return alert().correlationId();
        }
    }

    /** A cause became an alert: emit the alert type with a new correlation id. */
    record Open(Finding finding, String correlationId) implements AlertDecision {
        @Override
        public String alertKey() {
            return finding.alertKey();
        }
    }

    /** Still open after the repeat interval: emit again with the open alert's correlation id. */
    record Repeat(Finding finding, OpenAlert alert) implements OnOpenAlert {
    }

    /**
     * The alert is over: emit its resolution type with its correlation id. {@code absorbingKey} names the
     * higher root cause's alert key when the problem goes on under that cause, else it is empty.
     */
    record Resolve(OpenAlert alert, String absorbingKey) implements OnOpenAlert {
        public Resolve {
            if (alert == null || absorbingKey == null) {
                throw new IllegalArgumentException("a resolution needs its alert and an absorbing key (empty: none)");
            }
        }

        /** The higher cause's alert key, when one took the problem over. */
        public Optional<String> absorbedBy() {
            return absorbingKey.isEmpty() ? Optional.empty() : Optional.of(absorbingKey);
        }
    }
}
