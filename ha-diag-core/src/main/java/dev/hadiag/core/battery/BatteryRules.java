package dev.hadiag.core.battery;

import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.IgnoreRules;
import java.util.List;

/**
 * When a battery counts as low for {@code low_batteries}: below its threshold (the first override that
 * matches, else the default), and, once alerted, until it is back above threshold plus the hysteresis, so
 * a battery that hovers at the threshold opens one alert and never flaps.
 *
 * @param threshold  percent below which a battery is low
 * @param hysteresis percent above the threshold a low battery must reach before its alert resolves
 * @param overrides  per entity glob, device name glob or integration glob, first match wins
 * @param ignore     batteries never reported
 */
public record BatteryRules(double threshold, double hysteresis, List<Override> overrides, IgnoreRules ignore) {

    public static final BatteryRules DEFAULTS = new BatteryRules(20, 5, List.of(), IgnoreRules.NONE);

    /** A threshold for the batteries one glob names, by what it matches. */
    public record Override(Match match, Globs globs, double threshold) {
        public Override {
            if (match == null || globs == null) {
                throw new IllegalArgumentException("an override needs what it matches and its globs");
            }
            requirePercent("threshold", threshold);
        }
    }

    /** What an override's globs are matched against. */
    public enum Match {
        ENTITY, DEVICE, INTEGRATION
    }

    public BatteryRules {
        requirePercent("threshold", threshold);
        requirePercent("hysteresis", hysteresis);
        overrides = List.copyOf(overrides);
        if (ignore == null) {
            throw new IllegalArgumentException("ignore is required (IgnoreRules.NONE for none)");
        }
    }

    /** The threshold of one battery: the first override that names its entity id, device name or integration. */
    public double thresholdFor(String entityId, String deviceName, String integration) {
        for (Override override : overrides) {
            String value = switch (override.match()) {
                case ENTITY -> entityId;
                case DEVICE -> deviceName;
                case INTEGRATION -> integration;
            };
            if (!value.isEmpty() && override.globs().matchesAny(value)) {
                return override.threshold();
            }
        }
        return threshold;
    }

    /**
     * Whether a battery at {@code level} percent is low.
     *
     * @param alerted whether its device's (or its own) low-battery alert is open: it then stays low until the
     *                level clears the threshold by the hysteresis
     */
    public boolean isLow(double level, double threshold, boolean alerted) {
        return alerted ? level < threshold + hysteresis : level < threshold;
    }

    private static void requirePercent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be a percentage from 0 to 100, not " + value);
        }
    }
}
