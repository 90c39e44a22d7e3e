package dev.hadiag.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hadiag.http.testing.StubAgentView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Building the API binds nothing; {@link HttpApi#start} binds and says where; a port in use is the start's error. */
class HttpApiLifecycleTest {

    @Test
    void a_built_api_listens_only_once_started_and_start_returns_the_port_it_listens_on() throws IOException {
        try (HttpApi api = HttpApi.builder(new StubAgentView(), Clock.systemUTC()).build()) {
            assertThatThrownBy(api::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");

            int port = api.start("127.0.0.1", 0);

            assertThat(port).isPositive().isEqualTo(api.port());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(client.isConnected()).isTrue();
            }
            assertThatThrownBy(() -> api.start("127.0.0.1", 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("started already");
        }
    }

    @Test
    void an_api_never_started_closes_without_error() {
        HttpApi api = HttpApi.builder(new StubAgentView(), Clock.systemUTC()).apiToken("s3cret").build();

        api.close();
    }

    @Test
    void a_port_in_use_fails_the_start_not_the_build() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HttpApi api = HttpApi.builder(new StubAgentView(), Clock.systemUTC()).build()) {
            assertThatThrownBy(() -> api.start("127.0.0.1", taken.getLocalPort())).isInstanceOf(RuntimeException.class);
        }
    }
}
