package dev.hadiag.app.agent;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes Prometheus's text exposition format 0.0.4: a family's {@code # HELP} and {@code # TYPE} lines, then its
 * samples. Our own (not a client library's) because the agent exposes a few dozen series and Micrometer with the
 * Prometheus client kept about 300 classes loaded for them (docs/performance.md). Names are checked, label values and
 * help text escaped: a check or destination name from the configuration cannot break the exposition.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** The types of the 0.0.4 format the agent uses. */
    enum Type {
        GAUGE, COUNTER, SUMMARY;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Starts a family: each family once per exposition, before its samples. */
    PrometheusText family(String name, Type type, String help) {
        checkName(name);
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.wire()).append('\n');
        return this;
    }

    /** One sample; {@code labels} in the order they are written (callers keep it stable from one scrape to the next). */
    PrometheusText sample(String name, Map<String, String> labels, double value) {
        start(name, labels);
        out.append(value(value)).append('\n');
        return this;
    }

    /** One sample of a whole number (a summary's count): written without a fraction. */
    PrometheusText sample(String name, Map<String, String> labels, long value) {
        start(name, labels);
        out.append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void start(String name, Map<String, String> labels) {
        checkName(name);
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!LABEL_NAME.matcher(label.getKey()).matches() || label.getKey().startsWith("__")) {
                    throw new IllegalArgumentException("not a Prometheus label name: " + label.getKey());
                }
                out.append(first ? "" : ",").append(label.getKey()).append("=\"");
                escape(label.getValue(), true);
                out.append('"');
                first = false;
            }
            out.append('}');
        }
        out.append(' ');
    }

    /** The format's floats: Go's ParseFloat reads Java's decimal and exponent forms; the specials are spelled its way. */
    static String value(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    /** Backslash and newline in help text; also the double quote in a label value. */
    private void escape(String text, boolean labelValue) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    private static void checkName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
    }
}
