package dev.hadiag.core.port;

import dev.hadiag.core.stale.ReportingProfile;
import java.util.Collection;
import java.util.Map;

/**
 * The learned reporting gaps of watched entities, kept across restarts so that an agent restart does not
 * start learning again. Failures are {@link DiagnosticStoreException}s naming the store.
 */
public interface ReportingHistory {

    /** Every stored profile, by entity id. */
    Map<String, ReportingProfile> reportingProfiles();

    /** Stores {@code changed} (replacing each entity's profile) and forgets {@code forgotten}, in one transaction. */
    void saveReportingProfiles(Collection<ReportingProfile> changed, Collection<String> forgotten);
}
