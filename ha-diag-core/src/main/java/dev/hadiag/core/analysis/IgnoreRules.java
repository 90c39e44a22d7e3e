package dev.hadiag.core.analysis;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the operator never wants reported: globs ({@code *}, {@code ?}) on entity ids, integration domains
 * and device names, and HA labels.
 */
public record IgnoreRules(List<String> entities, List<String> integrations, List<String> devices, List<String> labels) {

    public static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of(), List.of(), List.of());

    public IgnoreRules {
        entities = List.copyOf(entities);
        integrations = List.copyOf(integrations);
        devices = List.copyOf(devices);
        labels = List.copyOf(labels);
    }

    public boolean ignoresEntity(String entityId) {
        return matchesAny(entities, entityId);
    }

    public boolean ignoresIntegration(String domain) {
        return !domain.isEmpty() && matchesAny(integrations, domain);
    }

    public boolean ignoresDevice(String deviceName) {
        return !deviceName.isEmpty() && matchesAny(devices, deviceName);
    }

    public boolean ignoresAnyLabel(Collection<String> entityLabels) {
        return entityLabels.stream().anyMatch(labels::contains);
    }

    /** Whether {@code value} matches one of the globs ({@code *} any run of characters, {@code ?} one). */
    public static boolean matchesAny(List<String> globs, String value) {
        return globs.stream().anyMatch(glob -> glob(glob).matcher(value).matches());
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
