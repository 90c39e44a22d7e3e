package dev.hadiag.ha.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hadiag.core.ha.CoreState;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.LiveSignal;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import dev.hadiag.ha.client.testing.TestCertificates;
import dev.hadiag.ha.client.testing.TlsProxy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24: HA behind TLS with a private CA, here a real HA behind a TLS-terminating loopback proxy whose certificate
 * a test CA signed. With the CA trusted (what {@code ha_ca_file} sets) REST, WebSocket commands and the live
 * connection work, as with a self-signed certificate named as its own CA; without it each fails saying TLS, and what
 * to set.
 */
@ExtendWith(HomeAssistantExtension.class)
class OkHttpHomeAssistantTlsIT {

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static TlsProxy proxy;

    private final RealHomeAssistant ha;
    private final List<LiveSignal> signals = new CopyOnWriteArrayList<>();

    OkHttpHomeAssistantTlsIT(RealHomeAssistant ha) throws IOException {
        this.ha = ha;
        synchronized (OkHttpHomeAssistantTlsIT.class) {
            if (proxy == null) {
                proxy = TlsProxy.start(certificates.serverContext(), ha.url());
            }
        }
    }

    @BeforeAll
    static void createCertificates() throws IOException, InterruptedException {
        certificates = TestCertificates.create(dir.resolve("tls"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private HaClientSettings settings(boolean trustTheCa) {
        return new HaClientSettings(proxy.url(), ha.token(), HaClientSettings.DEFAULT_CONNECT_TIMEOUT,
                HaClientSettings.DEFAULT_REQUEST_TIMEOUT, trustTheCa ? certificates.ca() : List.of());
    }

    @Test
    void with_the_private_ca_trusted_rest_websocket_commands_and_the_live_connection_work() {
        try (OkHttpHomeAssistant client = new OkHttpHomeAssistant(settings(true))) {
            client.ping();
            assertThat(client.config().state()).isEqualTo(CoreState.RUNNING);
            assertThat(client.recorderInfo().recording()).isTrue(); // a command over the WebSocket, through the proxy
        }
        try (OkHttpLiveConnection live = new OkHttpLiveConnection(settings(true), OkHttpLiveConnectionIT.FAST, Clock.systemUTC())) {
            live.start(signals::add);
            await().atMost(Duration.ofSeconds(15)).until(live::isConnected);
            assertThat(signals).first().isInstanceOf(LiveSignal.Connected.class);
        }
    }

    @Test
    void a_self_signed_certificate_named_as_its_own_ca_is_trusted_too() throws IOException, InterruptedException {
        TestCertificates selfSigned = TestCertificates.selfSigned(dir.resolve("self-signed"));
        try (TlsProxy selfSignedProxy = TlsProxy.start(selfSigned.serverContext(), ha.url());
                OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(selfSignedProxy.url(), ha.token(),
                        HaClientSettings.DEFAULT_CONNECT_TIMEOUT, HaClientSettings.DEFAULT_REQUEST_TIMEOUT, selfSigned.ca()))) {
            assertThat(client.config().state()).isEqualTo(CoreState.RUNNING);
            assertThat(client.recorderInfo().recording()).isTrue();
        }
    }

    @Test
    void without_it_rest_and_the_live_connection_fail_saying_tls_and_what_to_set() {
        try (OkHttpHomeAssistant client = new OkHttpHomeAssistant(settings(false))) {
            assertThatThrownBy(client::ping).isInstanceOf(HaUnreachableException.class)
                    .hasMessageContaining("TLS failed").hasMessageContaining("not trusted").hasMessageContaining("HA_DIAG_HA_CA_FILE")
                    .hasMessageNotContaining(ha.token().value());
            assertThatThrownBy(client::recorderInfo).isInstanceOf(HaUnreachableException.class).hasMessageContaining("TLS failed");
        }
        try (OkHttpLiveConnection live = new OkHttpLiveConnection(settings(false), OkHttpLiveConnectionIT.FAST, Clock.systemUTC())) {
            live.start(signals::add);
            await().atMost(Duration.ofSeconds(15)).until(() -> signals.stream().anyMatch(LiveSignal.Disconnected.class::isInstance));
            LiveSignal.Disconnected failed = (LiveSignal.Disconnected) signals.stream().filter(LiveSignal.Disconnected.class::isInstance)
                    .findFirst().orElseThrow();
            assertThat(failed.reason()).contains("TLS failed").contains("not trusted").contains("ha_ca_file");
            assertThat(live.isConnected()).isFalse();
        }
    }
}
