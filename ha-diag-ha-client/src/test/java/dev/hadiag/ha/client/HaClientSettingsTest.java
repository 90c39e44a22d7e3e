package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.ha.AccessToken;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HaClientSettingsTest {

    private static final AccessToken TOKEN = new AccessToken("token-for-the-test");

    @Test
    void a_url_naming_the_api_is_cut_to_the_base_url_so_requests_are_not_sent_to_api_api() {
        // Issue 24: HA_URL=…/api/ sent GET /api/api/ and reported GET /api/.
        assertThat(new HaClientSettings("http://ha.local:8123/api/", TOKEN).url("/api/").toString()).isEqualTo("http://ha.local:8123/api/");
        assertThat(new HaClientSettings("http://ha.local:8123/api", TOKEN).baseUrl()).isEqualTo("http://ha.local:8123");
        assertThat(new HaClientSettings("https://proxy.lan/ha/api/", TOKEN).webSocketUrl().toString())
                .isEqualTo("https://proxy.lan/ha/api/websocket");
        assertThat(new HaClientSettings("http://ha.local:8123/", TOKEN).baseUrl()).isEqualTo("http://ha.local:8123");
        assertThat(new HaClientSettings("http://ha.local/apiary", TOKEN).baseUrl()).isEqualTo("http://ha.local/apiary");
    }

    @Test
    void tls_failures_are_named_as_such_with_what_to_do() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        assertThat(TlsTrust.describe(new java.io.IOException("wrapped", untrusted))).hasValueSatisfying(text -> assertThat(text)
                .startsWith("TLS failed: Home Assistant's certificate is not trusted")
                .contains("unable to find valid certification path").contains("ha_ca_file / HA_DIAG_HA_CA_FILE"));

        SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertificateExpiredException("NotAfter: Mon Dec 07 00:00:00 UTC 2026"));
        assertThat(TlsTrust.describe(expired)).hasValueSatisfying(text -> assertThat(text).contains("expired").contains("NotAfter"));

        assertThat(TlsTrust.describe(new SSLPeerUnverifiedException("Hostname ha.lan not verified:\n    certificate: sha256/x\n    DN: CN=other")))
                .hasValueSatisfying(text -> assertThat(text).contains("does not name this host").contains("Hostname ha.lan not verified: certificate")
                        .doesNotContain("\n"));
        assertThat(TlsTrust.describe(new java.net.ConnectException("Connection refused"))).isEmpty();
    }

    @Test
    void a_client_for_an_http_url_speaks_cleartext_only_and_one_for_https_speaks_tls() {
        // Issue 29: a client that may speak TLS loads the JVM's trust store when it is built; an http:// HA never needs it.
        OkHttpClient http = OkHttpHomeAssistant.newClient(new HaClientSettings("http://ha.local:8123", TOKEN));
        assertThat(http.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
        assertThat(new HaClientSettings("HTTP://ha.local:8123", TOKEN).isTls()).isFalse();

        OkHttpClient https = OkHttpHomeAssistant.newClient(new HaClientSettings("https://ha.local:8123", TOKEN));
        assertThat(https.connectionSpecs()).anySatisfy(spec -> assertThat(spec.isTls()).isTrue());
        assertThat(new HaClientSettings("HTTPS://ha.local:8123", TOKEN).isTls()).isTrue();
    }
}
