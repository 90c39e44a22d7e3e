package dev.hadiag.core.check;

import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.analysis.Integrations;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Integrations in trouble: one {@code ha_integration_failed} per config entry in a failing state (with HA's
 * reason and the entities it owns), and one {@code ha_system_health_degraded} per integration whose
 * {@code system_health/info} reports values it could not determine (HA's "failed" markers).
 */
public final class SystemHealthCheck implements Check {

    private final IgnoreRules ignore;

    public SystemHealthCheck(IgnoreRules ignore) {
        this.ignore = ignore;
    }

    @Override
    public String name() {
        return BuiltInCheck.SYSTEM_HEALTH.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        HaRegistries registries = ha.registries();
        List<ConfigEntry> entries = registries.configEntries();
        Map<String, List<String>> owned = new HashMap<>();
        for (EntityRegistryEntry entity : registries.entities()) {
            if (!entity.isDisabled() && !entity.configEntryId().isEmpty()) {
                owned.computeIfAbsent(entity.configEntryId(), k -> new ArrayList<>()).add(entity.entityId());
            }
        }
        SystemHealth health = ha.systemHealth();

        List<Finding> findings = new ArrayList<>();
        for (ConfigEntry entry : entries) {
            if (Integrations.isWatchedFailure(entry, ignore)) {
                findings.add(Integrations.failed(entry, owned.getOrDefault(entry.entryId(), List.of()),
                        context.now()));
            }
        }

        Map<String, Map<String, Object>> failuresByDomain = new LinkedHashMap<>();
        for (SystemHealth.Failure failure : health.failures()) {
            if (!ignore.ignoresIntegration(failure.domain())) {
                failuresByDomain.computeIfAbsent(failure.domain(), d -> new LinkedHashMap<>()).put(failure.key(), failure.error());
            }
        }
        failuresByDomain.forEach((domain, failures) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("domain", domain);
            details.put("failures", failures);
            String what = failures.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
            findings.add(new Finding(AlertType.SYSTEM_HEALTH_DEGRADED, Severity.WARNING, new RootCause(RootCause.Kind.INTEGRATION, domain, domain),
                    "System health of " + domain + " is degraded: " + what, List.of(), context.now(), details));
        });
        return new CheckOutcome.Completed(findings, List.of(),
                entries.size() + " config entries, " + health.domains().size() + " system health sections");
    }
}
