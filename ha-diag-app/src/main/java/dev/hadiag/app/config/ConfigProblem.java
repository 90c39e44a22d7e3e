package dev.hadiag.app.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key    the setting, as the YAML file names it ({@code checks.recorder.backlog_threshold})
 * @param source where the bad value came from ({@code env HA_URL}, {@code /etc/x.yaml:12}, {@code default})
 */
public record ConfigProblem(String key, String source, String message) {

    @Override
    public String toString() {
        return key + " (" + source + "): " + message;
    }
}
