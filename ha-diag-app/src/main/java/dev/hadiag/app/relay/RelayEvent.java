package dev.hadiag.app.relay;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import java.util.Optional;

/**
 * An event file to deliver: its bytes as written (destinations send them unchanged) and what they mean.
 *
 * @param alertKey the payload's {@code alert_key}, or empty for events that are not part of an alert
 */
record RelayEvent(EventFile file, byte[] bytes, Event event, String alertKey) {

    static RelayEvent of(EventFile file, byte[] bytes, Event event) {
        Object key = event.payload().get("alert_key");
        return new RelayEvent(file, bytes, event, key instanceof String text ? text : "");
    }

    /** An event that opens (or repeats) an alert: an HA alert type, or any other tool's non-info event with an alert key. */
    boolean opensAlert() {
        if (alertKey.isEmpty()) {
            return false;
        }
        if (AlertType.fromType(event.type()).isPresent()) {
            return true;
        }
        return AlertType.fromResolutionType(event.type()).isEmpty() && event.severity() != Severity.INFO;
    }

    /** An event that resolves an alert: an HA resolution type, or another tool's info event with an alert key. */
    boolean resolvesAlert() {
        return !alertKey.isEmpty() && !opensAlert()
                && (AlertType.fromResolutionType(event.type()).isPresent() || event.severity() == Severity.INFO);
    }

    /** For a resolution, the type of the alert it closes, if it is one of HA's. */
    Optional<String> alertOpeningType() {
        if (opensAlert()) {
            return Optional.of(event.type());
        }
        return AlertType.fromResolutionType(event.type()).map(AlertType::type);
    }
}
