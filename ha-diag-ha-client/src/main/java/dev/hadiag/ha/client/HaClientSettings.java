package dev.hadiag.ha.client;

import dev.hadiag.core.ha.AccessToken;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * Where Home Assistant is, how long to wait for it, and which certificates its TLS may present.
 *
 * @param baseUrl             e.g. {@code http://homeassistant.local:8123}; a trailing {@code /api} is dropped (every
 *                            request adds it: {@code …/api/} would have asked for {@code /api/api/})
 * @param connectTimeout      TCP connect (and WebSocket authentication) limit
 * @param requestTimeout      a whole REST call, or one WebSocket command, from start to last byte
 * @param trustedCertificates the CA (or self-signed) certificates HA's TLS certificate must chain to, for REST and
 *                            WebSocket alike; empty: the JVM's trust store
 */
public record HaClientSettings(String baseUrl, AccessToken token, Duration connectTimeout, Duration requestTimeout,
        List<X509Certificate> trustedCertificates) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public HaClientSettings {
        baseUrl = normalised(baseUrl);
        if (token == null) {
            throw new IllegalArgumentException("Home Assistant access token is required");
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("request timeout", requestTimeout);
        trustedCertificates = trustedCertificates == null ? List.of() : List.copyOf(trustedCertificates);
    }

    public HaClientSettings(String baseUrl, AccessToken token, Duration connectTimeout, Duration requestTimeout) {
        this(baseUrl, token, connectTimeout, requestTimeout, List.of());
    }

    public HaClientSettings(String baseUrl, AccessToken token) {
        this(baseUrl, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The base URL requests are built on: no trailing slash, no trailing {@code /api} (issue 24: {@code HA_URL=…/api/}
     * sent {@code GET /api/api/} and reported {@code GET /api/}).
     *
     * @throws IllegalArgumentException when it is no http(s) URL
     */
    public static String normalised(String baseUrl) {
        HttpUrl parsed = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("Home Assistant URL must be an http:// or https:// URL, was '" + baseUrl + "'");
        }
        String url = parsed.toString().replaceAll("/+$", "");
        while (url.endsWith("/api")) {
            url = url.substring(0, url.length() - "/api".length()).replaceAll("/+$", "");
        }
        return url;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Whether HA is reached over TLS ({@code https://}); the URL is normalised, so its scheme is lower case. */
    public boolean isTls() {
        return baseUrl.startsWith("https:");
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
        return "HaClientSettings[baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", trustedCertificates=" + trustedCertificates.size() + "]";
    }
}
