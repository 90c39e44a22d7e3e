package dev.hadiag.ha.client;

import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.port.HomeAssistant;
import dev.hadiag.core.testing.HomeAssistantContract;
import dev.hadiag.ha.client.testing.HomeAssistantExtension;
import dev.hadiag.ha.client.testing.RealHomeAssistant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@link HomeAssistant} contract the fake keeps, kept by the OkHttp adapter on a real HA of each supported version. */
@ExtendWith(HomeAssistantExtension.class)
class OkHttpHomeAssistantContractIT extends HomeAssistantContract {

    private final RealHomeAssistant ha;
    private final List<OkHttpHomeAssistant> clients = new ArrayList<>();

    OkHttpHomeAssistantContractIT(RealHomeAssistant ha) {
        this.ha = ha;
    }

    @AfterEach
    void close() {
        clients.forEach(OkHttpHomeAssistant::close);
    }

    private HomeAssistant client(String url, AccessToken token) {
        OkHttpHomeAssistant client = new OkHttpHomeAssistant(new HaClientSettings(url, token));
        clients.add(client);
        return client;
    }

    @Override
    protected HomeAssistant homeAssistant() {
        return client(ha.url(), ha.token());
    }

    @Override
    protected HomeAssistant withRejectedToken() {
        return client(ha.url(), new AccessToken("not-a-valid-token-1234567890"));
    }

    @Override
    protected HomeAssistant unreachable() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return client("http://127.0.0.1:" + socket.getLocalPort(), ha.token());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
