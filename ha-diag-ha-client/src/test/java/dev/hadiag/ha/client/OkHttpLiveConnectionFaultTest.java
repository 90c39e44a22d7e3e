package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.LiveSignal;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;

/**
 * #16: what the live connection says about an outage HA cannot be made to produce on demand: a port
 * nobody listens on (HA's process gone) and a host that accepts but never answers (a network blackhole).
 */
class OkHttpLiveConnectionFaultTest {

    static final AccessToken TOKEN = new AccessToken("secret-token-that-must-never-show-0123456789");
    static final Duration TIMEOUT = Duration.ofMillis(500);

    private final List<LiveSignal> signals = new CopyOnWriteArrayList<>();

    private OkHttpLiveConnection connect(String url) {
        OkHttpLiveConnection live = new OkHttpLiveConnection(new HaClientSettings(url, TOKEN, TIMEOUT, TIMEOUT),
                OkHttpLiveConnectionIT.FAST, Clock.systemUTC());
        live.start(signals::add);
        return live;
    }

    private LiveSignal.Disconnected firstDisconnect() {
        await().atMost(Duration.ofSeconds(10)).until(() -> signals.stream().anyMatch(LiveSignal.Disconnected.class::isInstance));
        return signals.stream().filter(LiveSignal.Disconnected.class::isInstance).map(LiveSignal.Disconnected.class::cast)
                .findFirst().orElseThrow();
    }

    @Test
    void a_port_nobody_listens_on_is_a_refused_connection() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (OkHttpLiveConnection ignored = connect("http://127.0.0.1:" + port)) {
            assertThat(firstDisconnect().cause()).isEqualTo(LiveSignal.DisconnectCause.REFUSED);
        }
    }

    @Test
    void a_server_that_accepts_and_never_answers_is_unreachable_not_refused() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 5; i++) {
                server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
            }
            server.start(0);
            try (OkHttpLiveConnection ignored = connect(server.url("/").toString())) {
                assertThat(firstDisconnect().cause()).isEqualTo(LiveSignal.DisconnectCause.UNREACHABLE);
            }
        }
    }

    @Test
    void a_proxy_answering_502_for_a_down_ha_is_as_good_as_refused() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            for (int i = 0; i < 5; i++) {
                server.enqueue(new MockResponse.Builder().code(502).body("Bad Gateway").build());
            }
            server.start(0);
            try (OkHttpLiveConnection ignored = connect(server.url("/").toString())) {
                assertThat(firstDisconnect().cause()).isEqualTo(LiveSignal.DisconnectCause.REFUSED);
            }
        }
    }

    @Test
    void an_ha_that_stops_answering_pings_is_reported_with_the_missing_pong_not_as_closed_by_ha_diag() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                    webSocket.send("{\"type\":\"auth_required\",\"ha_version\":\"2031.1.0\"}");
                }

                @Override
                public void onMessage(WebSocket webSocket, String text) {
                    if (text.contains("\"type\":\"auth\"")) {
                        webSocket.send("{\"type\":\"auth_ok\",\"ha_version\":\"2031.1.0\"}");
                    } else if (!text.contains("\"type\":\"ping\"")) { // hung: it answers what came before, never a ping
                        String id = text.replaceAll(".*\"id\":(\\d+).*", "$1");
                        webSocket.send("{\"id\":" + id + ",\"type\":\"result\",\"success\":true,\"result\":null}");
                    }
                }
            }).build());
            server.start(0);
            try (OkHttpLiveConnection ignored = connect(server.url("/").toString())) {
                LiveSignal.Disconnected lost = firstDisconnect();
                assertThat(lost.reason()).contains("no pong").contains("within 2 s").doesNotContain("closed by ha-diag");
                assertThat(lost.cause()).isEqualTo(LiveSignal.DisconnectCause.UNREACHABLE);
                assertThat(signals.get(0)).isInstanceOf(LiveSignal.Connected.class);
            }
        }
    }

    @Test
    void only_an_unambiguous_refusal_counts_as_refused() {
        assertThat(DisconnectCauses.of(new HaUnreachableException("x", new ConnectException("Connection refused"))))
                .isEqualTo(LiveSignal.DisconnectCause.REFUSED);
        assertThat(DisconnectCauses.of(new HaUnreachableException("x", new ConnectException("Connection timed out"))))
                .isEqualTo(LiveSignal.DisconnectCause.UNREACHABLE);
        assertThat(DisconnectCauses.of(new HaUnreachableException("x", new SocketTimeoutException("timeout"))))
                .isEqualTo(LiveSignal.DisconnectCause.UNREACHABLE);
        assertThat(DisconnectCauses.of(new HaUnreachableException("x", new java.io.EOFException())))
                .isEqualTo(LiveSignal.DisconnectCause.OTHER);
    }
}
