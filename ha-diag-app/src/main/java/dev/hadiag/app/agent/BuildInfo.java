package dev.hadiag.app.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this jar is: its version, the commit it was built from and when (written into {@code build.properties} by the
 * build). A class run from an IDE without that filtering says {@code development}.
 *
 * @param commit git's short hash, or {@code unknown} (an image built without {@code HA_DIAG_COMMIT})
 * @param built  the build's UTC time, ISO 8601
 */
public record BuildInfo(String version, String commit, String built) {

    private static final BuildInfo CURRENT = read();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/hadiag/app/build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jar's build.properties", e);
        }
        return new BuildInfo(value(properties, "version", "development"), value(properties, "commit", "unknown"),
                value(properties, "built", "unknown"));
    }

    /** An unfiltered {@code ${…}} (the resource copied without the build) counts as not known. */
    private static String value(Properties properties, String key, String fallback) {
        String value = properties.getProperty(key, "").trim();
        return value.isEmpty() || value.contains("${") ? fallback : value;
    }

    /** {@code 0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-07T08:00:00Z)}. */
    public String describe() {
        return version + " (commit " + commit + ", built " + built + ")";
    }
}
