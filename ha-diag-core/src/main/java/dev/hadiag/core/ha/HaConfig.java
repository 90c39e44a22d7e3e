package dev.hadiag.core.ha;

import java.util.List;

/** What {@code /api/config} says about the instance. */
public record HaConfig(String version, CoreState state, String locationName, List<String> components) {

    public HaConfig {
        version = Strings.orEmpty(version);
        locationName = Strings.orEmpty(locationName);
        components = List.copyOf(components);
    }
}
