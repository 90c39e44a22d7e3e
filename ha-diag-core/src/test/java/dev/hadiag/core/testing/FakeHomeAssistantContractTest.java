package dev.hadiag.core.testing;

import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.port.HomeAssistant;

/** The in-memory fake keeps the {@link HomeAssistant} contract, so the core's unit tests stand on what a real HA does. */
class FakeHomeAssistantContractTest extends HomeAssistantContract {

    @Override
    protected HomeAssistant homeAssistant() {
        return new FakeHomeAssistant().snapshot(Snapshots.ha()
                .entry("e-mqtt", garden().domain(), "loaded")
                .device("d-garden", garden().deviceName(), "e-mqtt", "")
                .entity(garden().entityId(), "e-mqtt", "d-garden", "21.5")
                .entity("sensor.kitchen_plug_power", "e-mqtt", "", "12")
                .build());
    }

    @Override
    protected HomeAssistant withRejectedToken() {
        return new FakeHomeAssistant().fail(new HaUnauthorizedException("HTTP 401: Home Assistant rejected the token", null));
    }

    @Override
    protected HomeAssistant unreachable() {
        return new FakeHomeAssistant().fail(new HaUnreachableException("Home Assistant unreachable: connection refused", null));
    }
}
