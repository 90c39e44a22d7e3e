package dev.hadiag.app.config;

import dev.hadiag.core.analysis.Globs;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.battery.BatteryRules;
import dev.hadiag.core.live.FlapDetector;
import dev.hadiag.core.stale.ReportingProfile;
import dev.hadiag.core.check.BackupsCheck;
import dev.hadiag.core.check.LogErrorsCheck;
import dev.hadiag.core.stale.StaleRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of one check beyond its schedule, a record per check. Each record reads its own keys (under
 * {@code checks.<name>.}): a new key of a check is a component and one line in its {@code read}; the list of valid
 * keys in the "unknown setting" message follows from what {@code read} asks.
 */
public sealed interface CheckSettings {

    /** {@code heartbeat}: nothing beyond its schedule. */
    record Heartbeat() implements CheckSettings {
        static Heartbeat read(ConfigReader keys) {
            return new Heartbeat();
        }
    }

    /**
     * @param threshold        how long an entity must be unavailable
     * @param unknownCountsFor domains whose {@code unknown} counts as unavailable
     */
    record UnavailableEntities(Duration threshold, IgnoreRules ignore, Set<String> unknownCountsFor) implements CheckSettings {
        public UnavailableEntities {
            unknownCountsFor = Set.copyOf(unknownCountsFor);
        }

        static UnavailableEntities read(ConfigReader keys) {
            Duration threshold = keys.durationOrZero("threshold", null, Duration.ofMinutes(15));
            IgnoreRules ignore = new IgnoreRules(keys.list("ignore.entities"), keys.list("ignore.integrations"), keys.list("ignore.devices"),
                    keys.list("ignore.labels"));
            return new UnavailableEntities(threshold, ignore, Set.copyOf(keys.list("unknown_counts_for")));
        }
    }

    /** @param minDuration how long an integration must be failing before it is an alert */
    record SystemHealth(Duration minDuration, IgnoreRules ignore) implements CheckSettings {
        static SystemHealth read(ConfigReader keys) {
            Duration minDuration = keys.durationOrZero("min_duration", null, Duration.ofMinutes(10));
            return new SystemHealth(minDuration, new IgnoreRules(List.of(), keys.list("ignore.integrations"), List.of(), List.of()));
        }
    }

    record AutomationFailures(IgnoreRules ignore) implements CheckSettings {
        static AutomationFailures read(ConfigReader keys) {
            return new AutomationFailures(entitiesOnly(keys));
        }
    }

    record UpdatesAvailable(IgnoreRules ignore) implements CheckSettings {
        static UpdatesAvailable read(ConfigReader keys) {
            return new UpdatesAvailable(entitiesOnly(keys));
        }
    }

    /** @param backlogThreshold the queue length that counts as lag */
    record Recorder(long backlogThreshold) implements CheckSettings {
        static Recorder read(ConfigReader keys) {
            return new Recorder(keys.number("backlog_threshold", null, 1000, 0, Long.MAX_VALUE));
        }
    }

    /** @param ignoreIssues globs on {@code domain/issue_id} */
    record Repairs(List<String> ignoreIssues) implements CheckSettings {
        public Repairs {
            ignoreIssues = List.copyOf(ignoreIssues);
        }

        static Repairs read(ConfigReader keys) {
            return new Repairs(keys.list("ignore.issues"));
        }
    }

    /** {@code stale_entities}: what is watched, and when a silent entity counts as stale. */
    record StaleEntities(StaleRules rules) implements CheckSettings {
        static StaleEntities read(ConfigReader keys) {
            StaleRules defaults = StaleRules.DEFAULTS;
            Duration maxAge = keys.durationOrZero("max_age", null, defaults.maxAge());
            double multiple = keys.decimal("multiple", null, defaults.multiple(), 1.0, 1000.0);
            Duration floor = keys.duration("floor", null, defaults.floor());
            int minSamples = (int) keys.number("min_samples", null, defaults.minSamples(), 2, ReportingProfile.KEPT_GAPS);
            return new StaleEntities(new StaleRules(keys.list("watch.domains"), keys.list("watch.device_classes"),
                    keys.list("watch.entities"), maxAge, multiple, floor, minSamples));
        }
    }

    /** {@code flapping}: how many availability changes within which window, and the quiet period that ends it. */
    record Flapping(FlapDetector.Settings detector) implements CheckSettings {
        static Flapping read(ConfigReader keys) {
            FlapDetector.Settings defaults = FlapDetector.Settings.DEFAULTS;
            return new Flapping(new FlapDetector.Settings((int) keys.number("transitions", null, defaults.transitions(), 2, 1000),
                    keys.duration("window", null, defaults.window()), keys.duration("quiet", null, defaults.quiet())));
        }
    }

    /** {@code backups}: how old the newest backup may be (0: from HA's schedule), and whether none at all is reported. */
    record Backups(BackupsCheck.Settings rules) implements CheckSettings {
        static Backups read(ConfigReader keys) {
            return new Backups(new BackupsCheck.Settings(keys.durationOrZero("max_age", null, Duration.ZERO),
                    keys.bool("report_missing", null, BackupsCheck.Settings.DEFAULTS.reportMissing())));
        }
    }

    /**
     * {@code low_batteries}: the threshold and hysteresis in percent, thresholds per entity, device or integration
     * glob ({@code thresholds.entities: ["sensor.smoke_*=40"]}), and what is never reported.
     */
    record LowBatteries(BatteryRules rules) implements CheckSettings {
        /**
         * Phones and tablets of the companion app: people charge them every day, so their batteries below 20 % would be a
         * warning a day per phone, none of them a fault. {@code ignore.integrations: []} reports them too.
         */
        static final List<String> DEFAULT_IGNORED_INTEGRATIONS = List.of("mobile_app");

        static LowBatteries read(ConfigReader keys) {
            BatteryRules defaults = BatteryRules.DEFAULTS;
            double threshold = keys.decimal("threshold", null, defaults.threshold(), 0, 100);
            double hysteresis = keys.decimal("hysteresis", null, defaults.hysteresis(), 0, 100);
            List<BatteryRules.Override> overrides = new ArrayList<>();
            overrides(keys, "thresholds.entities", BatteryRules.Match.ENTITY, overrides);
            overrides(keys, "thresholds.devices", BatteryRules.Match.DEVICE, overrides);
            overrides(keys, "thresholds.integrations", BatteryRules.Match.INTEGRATION, overrides);
            IgnoreRules ignore = new IgnoreRules(keys.list("ignore.entities"), keys.list("ignore.integrations", DEFAULT_IGNORED_INTEGRATIONS),
                    keys.list("ignore.devices"), keys.list("ignore.labels"));
            return new LowBatteries(new BatteryRules(threshold, hysteresis, overrides, ignore));
        }

        private static void overrides(ConfigReader keys, String key, BatteryRules.Match match, List<BatteryRules.Override> into) {
            for (String item : keys.list(key)) {
                int eq = item.lastIndexOf('=');
                double percent = -1;
                try {
                    percent = eq > 0 ? Double.parseDouble(item.substring(eq + 1).trim()) : -1;
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (percent < 0 || percent > 100) {
                    keys.problem(key, "'" + item + "' is not glob=percent (e.g. sensor.smoke_*=40)");
                } else {
                    into.add(new BatteryRules.Override(match, Globs.of(List.of(item.substring(0, eq).trim())), percent));
                }
            }
        }
    }

    /**
     * {@code ha_log_errors}: the lowest level counted ({@code error} by default, {@code warning} opt-in), the quiet period
     * that resolves a source's alert, and the logger globs never counted ({@code ignore.loggers}, by default what HA logs
     * at every start without libturbojpeg and ffmpeg; {@code []} reports those too).
     */
    record LogErrors(LogErrorsCheck.Settings rules) implements CheckSettings {
        static LogErrors read(ConfigReader keys) {
            LogErrorsCheck.Settings defaults = LogErrorsCheck.Settings.DEFAULTS;
            String level = keys.text("min_level", null, defaults.minLevel().toLowerCase(Locale.ROOT));
            Duration quiet = keys.duration("quiet_period", null, defaults.quietPeriod());
            List<String> ignore = keys.list("ignore.loggers", LogErrorsCheck.Settings.DEFAULT_IGNORED);
            try {
                return new LogErrors(new LogErrorsCheck.Settings(level, quiet, ignore));
            } catch (IllegalArgumentException e) {
                keys.problem("min_level", e.getMessage());
                return new LogErrors(defaults);
            }
        }
    }

    private static IgnoreRules entitiesOnly(ConfigReader keys) {
        return new IgnoreRules(keys.list("ignore.entities"), List.of(), List.of(), List.of());
    }
}
