package dev.hadiag.ha.client;

import dev.hadiag.core.ha.AccessToken;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * Where Home Assistant is and how long to wait for it.
 *
 * @param baseUrl        e.g. {@code http://homeassistant.local:8123}
 * @param connectTimeout TCP connect (and WebSocket authentication) limit
 * @param requestTimeout a whole REST call, or one WebSocket command, from start to last byte
 */
public record HaClientSettings(String baseUrl, AccessToken token, Duration connectTimeout, Duration requestTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public HaClientSettings {
        HttpUrl parsed = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("Home Assistant URL must be an http:// or https:// URL, was '" + baseUrl + "'");
        }
        baseUrl = parsed.toString().replaceAll("/+$", "");
        if (token == null) {
            throw new IllegalArgumentException("Home Assistant access token is required");
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("request timeout", requestTimeout);
    }

    public HaClientSettings(String baseUrl, AccessToken token) {
        this(baseUrl, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    HttpUrl url(String path) {
        return HttpUrl.get(baseUrl + path);
    }

    /** {@code ws(s)://host:port/api/websocket}; OkHttp takes the http(s) form and upgrades it. */
    HttpUrl webSocketUrl() {
        return url("/api/websocket");
    }

    @Override
    public String toString() {
        return "HaClientSettings[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }
}
