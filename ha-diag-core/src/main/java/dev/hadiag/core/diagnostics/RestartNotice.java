package dev.hadiag.core.diagnostics;

import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.EventTypes;
import dev.hadiag.core.live.WebSocketWatchdog;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code ha_restarted} info event: HA back after a restart, with the downtime and whether it was planned. */
final class RestartNotice {

    private RestartNotice() {
    }

    static Event event(AlertEvents events, WebSocketWatchdog.Verdict.Restarted restarted, String correlationId) {
        double downtime = restarted.downtime().toMillis() / 1000.0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("planned", restarted.planned());
        details.put("downtime_s", downtime);
        details.put("down_since", restarted.downSince().toString());
        details.put("detected_by", Diagnostics.WEBSOCKET);
        String summary = (restarted.planned() ? "Home Assistant restarted as announced" : "Home Assistant's process stopped unannounced")
                + "; back after " + String.format(java.util.Locale.ROOT, "%.1f", downtime) + " s";
        return events.notice(Diagnostics.WEBSOCKET, EventTypes.HA_RESTARTED, correlationId, summary, details, restarted.at());
    }
}
