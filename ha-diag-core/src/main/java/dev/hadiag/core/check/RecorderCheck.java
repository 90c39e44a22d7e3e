package dev.hadiag.core.check;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Severity;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.port.HomeAssistant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorder ({@code recorder/info}): {@code ha_recorder_lag} when its queue holds more than the backlog
 * threshold, or when it has stopped recording or its thread died. A schema migration in progress is reported
 * as a note, not an alert: a backlog is expected then.
 */
public final class RecorderCheck implements Check {

    private static final RootCause RECORDER = new RootCause(RootCause.Kind.RECORDER, "recorder", "Recorder");

    private final long backlogThreshold;

    public RecorderCheck(long backlogThreshold) {
        if (backlogThreshold < 0) {
            throw new IllegalArgumentException("backlog threshold must not be negative");
        }
        this.backlogThreshold = backlogThreshold;
    }

    @Override
    public String name() {
        return BuiltInCheck.RECORDER.wire();
    }

    @Override
    public CheckOutcome run(HomeAssistant ha, CheckContext context) {
        RecorderInfo info = ha.recorderInfo();
        if (info.backlog().isEmpty()) {
            return new CheckOutcome.Completed(List.of(), List.of(), "Home Assistant runs without a recorder");
        }
        long backlog = info.backlog().getAsLong();
        if (info.migrationInProgress()) {
            return new CheckOutcome.Completed(List.of(), List.of(), "database migration in progress, backlog " + backlog);
        }
        String problem;
        if (!info.threadRunning()) {
            problem = "the recorder thread is not running";
        } else if (!info.recording()) {
            problem = "the recorder is not recording";
        } else if (backlog > backlogThreshold) {
            problem = "the recorder queue holds " + backlog + " events (threshold " + backlogThreshold + ")";
        } else {
            return new CheckOutcome.Completed(List.of(), List.of(), "backlog " + backlog);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backlog", backlog);
        details.put("backlog_threshold", backlogThreshold);
        details.put("max_backlog", info.maxBacklog());
        details.put("recording", info.recording());
        details.put("thread_running", info.threadRunning());
        return CheckOutcome.Completed.of(List.of(new Finding(AlertType.RECORDER_LAG, Severity.WARNING, RECORDER,
                "Recorder lagging: " + problem, List.of(), context.now(), details)));
    }
}
