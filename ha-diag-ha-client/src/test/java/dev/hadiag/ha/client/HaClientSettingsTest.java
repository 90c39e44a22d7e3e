package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hadiag.core.ha.AccessToken;
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
}
