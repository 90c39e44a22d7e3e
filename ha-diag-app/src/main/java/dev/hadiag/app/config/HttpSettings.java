package dev.hadiag.app.config;

/**
 * The HTTP API's keys ({@code http.*}).
 *
 * @param apiToken             the bearer token {@code /trigger} requires, or empty for no authentication
 * @param remoteTriggerAllowed without an API token, whether {@code /trigger} answers clients not on loopback
 */
public record HttpSettings(String bind, int port, String apiToken, boolean remoteTriggerAllowed) {

    static HttpSettings read(ConfigReader reader) {
        ConfigReader keys = reader.under("http.");
        String bind = keys.text("bind", "HA_DIAG_BIND", "0.0.0.0");
        int port = (int) keys.number("port", "HA_DIAG_PORT", 8087, 0, 65535);
        String apiToken = reader.source().env("HA_DIAG_API_TOKEN").orElse("");
        reader.source().effective("HA_DIAG_API_TOKEN", "HA_DIAG_API_TOKEN", apiToken.isEmpty() ? "(unset)" : HomeAssistantAccess.SET_NOT_SHOWN,
                apiToken.isEmpty() ? "default" : "env HA_DIAG_API_TOKEN");
        reader.source().refuseInFile("http.api_token", "tokens do not belong in the YAML file; set HA_DIAG_API_TOKEN");
        boolean remoteTrigger = keys.bool("allow_remote_trigger", "HA_DIAG_ALLOW_REMOTE_TRIGGER", false);
        return new HttpSettings(bind, port, apiToken, remoteTrigger);
    }

    @Override
    public String toString() {
        // Never the token: records print every component by default.
        return "HttpSettings[" + bind + ":" + port + ", apiToken=" + (apiToken.isEmpty() ? "unset" : "set")
                + ", remoteTriggerAllowed=" + remoteTriggerAllowed + "]";
    }
}
