package dev.hadiag.core.testing;

import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.port.HomeAssistant;
import java.util.ArrayList;
import java.util.List;

/** Every state of an HA as one list: what tests look at, and the agent never builds (it streams them). */
public final class States {

    private States() {
    }

    public static List<EntityState> of(HomeAssistant ha) {
        List<EntityState> states = new ArrayList<>();
        ha.forEachState(states::add);
        return states;
    }
}
