package dev.hadiag.app.config;

import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.stale.StaleRules;

/**
 * The settings of the two checks that learn from the live stream (issue 15).
 *
 * @param stale    {@code checks.stale_entities}: what is watched and when it counts as stale
 * @param flapping {@code checks.flapping}: how many availability changes within which window, and the quiet period
 */
public record LiveDetectionSettings(StaleRules stale, FlapDetector.Settings flapping) {

    public static final LiveDetectionSettings DEFAULTS = new LiveDetectionSettings(StaleRules.DEFAULTS, FlapDetector.Settings.DEFAULTS);
}
