package dev.hadiag.app.relay;

import dev.hadiag.core.event.AlertType;
import dev.hadiag.core.event.Event;
import dev.hadiag.core.event.Severity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Pushes alert events (openings and resolutions) to a webhook: plain JSON or ntfy's format. A failed push (no answer,
 * 5xx, 408, 429) is retried from the same place in the queue; another 4xx means this request can never succeed and
 * the event is skipped with an error line.
 */
final class WebhookDestination implements Destination {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final WebhookSettings settings;
    /** The status of the last answer, for {@code notify test} to say what the webhook answered. */
    private int lastStatus;

    WebhookDestination(WebhookSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        // The path of a webhook URL is often its secret (Slack, Discord, an ntfy topic): only a digest of it is shown.
        String port = settings.url().getPort() > 0 ? ":" + settings.url().getPort() : "";
        return "webhook " + settings.url().getScheme() + "://" + settings.url().getHost() + port + "/…" + digest(settings.url().getRawPath()
                + "?" + settings.url().getRawQuery());
    }

    private static String digest(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public boolean wants(RelayEvent event) {
        if (!event.opensAlert() && !event.resolvesAlert()) {
            return false;
        }
        String alertType = event.alertOpeningType().orElse(event.event().type());
        if (!settings.acceptsType(alertType)) {
            return false;
        }
        // min_severity filters openings; a resolution goes out whenever its alert type passes the type filter, since
        // the severity its opening had is not in the resolution (a few resolutions of unpushed openings are the price).
        return event.resolvesAlert() || event.event().severity().ordinal() >= settings.minSeverity().ordinal();
    }

    @Override
    public void deliver(RelayEvent event) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url()).timeout(Duration.ofSeconds(10));
        if (!settings.token().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        event.file().eventId().ifPresent(id -> request.header("X-Event-Id", id));
        if (settings.format() == WebhookSettings.Format.NTFY) {
            ntfy(event, request);
            if (settings.actionButtons() && event.opensAlert() && AlertType.fromType(event.event().type()).isPresent()) {
                request.header("Actions", actions(event.event().correlationId()));
            }
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(event.bytes()));
        }
        int status;
        try {
            status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DeliveryException("cannot reach " + name() + ": " + e.getClass().getSimpleName(), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted", true, null);
        }
        lastStatus = status;
        if (status >= 200 && status < 300) {
            return;
        }
        boolean retry = status >= 500 || status == 408 || status == 429;
        throw new DeliveryException(name() + " answered " + status, retry, null);
    }

    private static void ntfy(RelayEvent relayed, HttpRequest.Builder request) {
        Event event = relayed.event();
        boolean resolved = relayed.resolvesAlert();
        Object summary = event.payload().get("summary");
        String message = (summary instanceof String text && !text.isBlank() ? text : event.type()) + "\n" + event.node() + " · "
                + event.timestamp();
        request.header("Title", headerSafe((resolved ? "Resolved: " : "") + event.type() + " on " + event.node()))
                .header("Priority", resolved ? "2" : switch (event.severity()) {
                    case CRITICAL -> "5";
                    case ERROR -> "4";
                    case WARNING -> "3";
                    case INFO -> "2";
                })
                .header("Tags", resolved ? "white_check_mark" : event.severity() == Severity.INFO ? "information_source" : "rotating_light")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.UTF_8));
    }

    /**
     * ntfy's action buttons (its {@code Actions} header, one {@code http} action each): acknowledge the alert, silence it for
     * an hour, each a POST to the agent's API with its API token, which is there only because the operator configured both.
     */
    String actions(String correlationId) {
        String base = settings.actionsUrl() + "/alerts/" + java.net.URLEncoder.encode(correlationId, StandardCharsets.UTF_8);
        String auth = "headers.Authorization=Bearer " + settings.apiToken();
        return headerSafe("http, Acknowledge, " + base + "/acknowledge, method=POST, " + auth + ", clear=true; "
                + "http, Silence 1 h, " + base + "/silence?duration=1h, method=POST, " + auth + ", clear=true");
    }

    /** HTTP header values are ASCII here: anything else, and line breaks, would make the request invalid. */
    private static String headerSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /** The HTTP status of the last answer (0 before any). */
    int lastStatus() {
        return lastStatus;
    }

    @Override
    public void reset() {
        // stateless: every push is its own request
    }

    @Override
    public void close() {
        // nothing held open
    }
}
