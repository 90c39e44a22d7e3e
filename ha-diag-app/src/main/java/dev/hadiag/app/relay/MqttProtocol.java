package dev.hadiag.app.relay;

import java.util.Locale;
import java.util.Optional;

/** Which MQTT version the relay and the fleet speak ({@code mqtt.protocol}). */
public enum MqttProtocol {
    /** MQTT 5 first; MQTT 3.1.1 when the broker does not take an MQTT 5 CONNECT (and the other way round later on). */
    AUTO("auto"),
    V5("5"),
    V3_1_1("3.1.1");

    private final String wire;

    MqttProtocol(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** {@code auto}, {@code 5} or {@code 3.1.1} (also {@code 3}, {@code 311}, {@code v5}), case-insensitive. */
    public static Optional<MqttProtocol> parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Optional.of(AUTO);
            case "5", "v5", "5.0" -> Optional.of(V5);
            case "3.1.1", "3", "311", "v3", "v3.1.1" -> Optional.of(V3_1_1);
            default -> Optional.empty();
        };
    }
}
