package dev.hadiag.ha.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** HA's own WebSocket commands for real-HA tests of other modules (e.g. making HA run or fail a backup). */
public final class HaTestCommands {

    private HaTestCommands() {
    }

    /** Sends one command and returns HA's result; HA's refusal is thrown as the adapter throws it. */
    public static JsonNode call(OkHttpHomeAssistant client, String type, Map<String, Object> fields) {
        return client.command(type, fields, node -> node);
    }
}
