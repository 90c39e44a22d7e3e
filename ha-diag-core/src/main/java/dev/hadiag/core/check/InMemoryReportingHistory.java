package dev.hadiag.core.check;

import dev.hadiag.core.port.ReportingHistory;
import dev.hadiag.core.stale.ReportingProfile;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A {@link ReportingHistory} that lasts as long as the process: for a one-shot {@code check} and for tests. */
public final class InMemoryReportingHistory implements ReportingHistory {

    private final Map<String, ReportingProfile> profiles = new HashMap<>();

    @Override
    public synchronized Map<String, ReportingProfile> reportingProfiles() {
        return Map.copyOf(profiles);
    }

    @Override
    public synchronized void saveReportingProfiles(Collection<ReportingProfile> changed, Collection<String> forgotten) {
        changed.forEach(profile -> profiles.put(profile.entityId(), profile));
        forgotten.forEach(profiles::remove);
    }
}
