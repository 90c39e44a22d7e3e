package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Automations whose latest finished run raised an error ({@code trace/list}): one finding per automation,
 * with HA's error text, until a later run finishes cleanly. Automations switched off are the operator's
 * decision and are not reported; ignore globs match the automation's entity id.
 */
public final class AutomationFailuresCheck implements Check {

    private final IgnoreRules ignore;

    public AutomationFailuresCheck(IgnoreRules ignore) {
        this.ignore = ignore;
    }

    @Override
    public String name() {
        return BuiltInCheck.AUTOMATION_FAILURES.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        // Traces name automations by their config id; the entity's "id" attribute links the two.
        Map<String, EntityState> byConfigId = new HashMap<>();
        ha.forEachState(state -> {
            if ("automation".equals(state.domain()) && state.attributes().get("id") instanceof String id && !id.isEmpty()) {
                byConfigId.put(id, state);
            }
        });
        Map<String, List<AutomationTrace>> runs = new TreeMap<>();
        for (AutomationTrace trace : ha.automationTraces()) {
            if (isFinished(trace)) {
                runs.computeIfAbsent(trace.itemId(), k -> new ArrayList<>()).add(trace);
            }
        }

        List<Finding> findings = new ArrayList<>();
        runs.forEach((configId, traces) -> {
            traces.sort(Comparator.comparing(AutomationTrace::start).reversed());
            AutomationTrace latest = traces.get(0);
            if (!latest.failed()) {
                return;
            }
            EntityState state = byConfigId.get(configId);
            String entityId = state != null ? state.entityId() : "automation." + configId;
            if ((state != null && "off".equals(state.state())) || ignore.ignoresEntity(entityId)) {
                return;
            }
            List<AutomationTrace> streak = traces.stream().takeWhile(AutomationTrace::failed).toList();
            AutomationTrace first = streak.get(streak.size() - 1);
            String name = state != null ? state.friendlyName() : entityId;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("entity_id", entityId);
            details.put("automation_id", configId);
            details.put("error", latest.error());
            details.put("last_step", latest.lastStep());
            details.put("trigger", latest.trigger());
            details.put("run_id", latest.runId());
            details.put("last_failure_at", latest.start().toString());
            details.put("failed_runs_in_a_row", streak.size());
            String error = latest.error().isEmpty() ? "an error" : latest.error();
            findings.add(new Finding(AlertType.AUTOMATION_FAILING, Severity.WARNING, new RootCause(RootCause.Kind.AUTOMATION, entityId, name),
                    "Automation " + name + " failed: " + error, List.of(entityId), first.start(), details));
        });
        return new CheckOutcome.Completed(findings, List.of(), runs.size() + " automations with finished runs");
    }

    // A run still going on says nothing yet; "stopped" or a finish time means it is over.
    private static boolean isFinished(AutomationTrace trace) {
        return trace.finish().isPresent() || "stopped".equals(trace.state()) || !trace.scriptExecution().isEmpty();
    }
}
