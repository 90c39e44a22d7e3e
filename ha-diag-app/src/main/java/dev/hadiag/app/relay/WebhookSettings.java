package dev.hadiag.app.relay;

import dev.hadiag.core.analysis.IgnoreRules;
import dev.hadiag.core.event.Severity;
import java.net.URI;
import java.util.List;

/**
 * Push delivery of alert events to a URL.
 *
 * @param format      {@code json}: the event file as the body; {@code ntfy}: ntfy's publish API (title, priority,
 *                    tags as headers, a readable message as the body), which Gotify-style bridges also take
 * @param minSeverity alerts opened below this severity are not pushed (nor their resolutions)
 * @param types       globs on the alert's type ({@code ha_*}); empty: every type
 * @param token       sent as {@code Authorization: Bearer}; empty for none; never logged
 * @param actionsUrl  the agent's URL as the phone reaches it ({@code notify.webhook.actions_url}); empty: no ntfy action buttons
 * @param apiToken    the agent's API token ({@code HA_DIAG_API_TOKEN}), put into the ntfy action buttons only when
 *                    {@code actionsUrl} is set too; never logged
 */
public record WebhookSettings(URI url, Format format, Severity minSeverity, List<String> types, String token, String actionsUrl,
        String apiToken) {

    public enum Format { JSON, NTFY }

    public WebhookSettings {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("notify.webhook.url must be an http:// or https:// URL");
        }
        types = List.copyOf(types);
        actionsUrl = actionsUrl.endsWith("/") ? actionsUrl.substring(0, actionsUrl.length() - 1) : actionsUrl;
    }

    /** A webhook without ntfy action buttons. */
    public WebhookSettings(URI url, Format format, Severity minSeverity, List<String> types, String token) {
        this(url, format, minSeverity, types, token, "", "");
    }

    /** ntfy pushes carry "Acknowledge" and "Silence 1 h" buttons only when the operator gave both the agent's URL and its API token. */
    public boolean actionButtons() {
        return format == Format.NTFY && !actionsUrl.isEmpty() && !apiToken.isEmpty();
    }

    public boolean acceptsType(String type) {
        return types.isEmpty() || IgnoreRules.matchesAny(types, type);
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + ", format=" + format + ", minSeverity=" + minSeverity + ", types=" + types + ", token=" + (token.isEmpty() ? "unset" : "set") + ", actionsUrl=" + actionsUrl + ", apiToken=" + (apiToken.isEmpty() ? "unset" : "set") + "]";
    }
}
