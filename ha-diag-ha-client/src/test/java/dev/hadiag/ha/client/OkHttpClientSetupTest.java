package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.core.ha.AccessToken;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OkHttpClientSetupTest {

    private static final AccessToken TOKEN = new AccessToken("token-for-the-test");

    @Test
    void a_plain_http_home_assistant_gets_a_client_without_any_tls_set_up() {
        OkHttpClient client = OkHttpHomeAssistant.newClient(new HaClientSettings("http://ha.local:8123", TOKEN));

        assertThat(client.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
        // OkHttp builds no trust manager for a cleartext-only client: the JVM's trust store is never loaded.
        assertThatThrownBy(client::sslSocketFactory).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_https_home_assistant_keeps_tls() {
        OkHttpClient client = OkHttpHomeAssistant.newClient(new HaClientSettings("https://ha.local:8123", TOKEN));

        assertThat(client.connectionSpecs()).contains(ConnectionSpec.MODERN_TLS);
        assertThat(client.sslSocketFactory()).isNotNull();
    }
}
