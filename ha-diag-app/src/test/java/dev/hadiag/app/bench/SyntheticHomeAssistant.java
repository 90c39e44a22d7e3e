package dev.hadiag.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hadiag.core.ha.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * A Home Assistant made of precomputed answers, for benchmarks: {@code /api/}, {@code /api/config},
 * {@code /api/states}, config entries, and a WebSocket that authenticates and answers the registry
 * commands and {@code subscribe_events}. The shapes are HA 2024.3's, with the fields real answers carry;
 * sizes and the share of unavailable entities are chosen by the caller.
 *
 * <p>Layout: 5 entities per device, 100 devices per config entry. Every 50th device is wholly unavailable,
 * and every 200th other entity is unavailable on its own. With {@code stormEntry}, the first config entry
 * instead has {@code stormSize} entities, all unavailable: one integration going down at once.
 *
 * <p>{@link #scatteredStorm} is the other layout: thousands of single-entity root causes, each its own alert
 * (for the fault suite's crash storm), which {@link #heal()} brings back. {@link #revokeToken()} makes every
 * REST call answer 401 and every WebSocket login {@code auth_invalid}, counting them as HA counts failed logins.
 */
public final class SyntheticHomeAssistant implements AutoCloseable {

    public static final AccessToken TOKEN = new AccessToken("synthetic-token");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "2026-11-23T10:00:00.000000+00:00";

    private final Javalin server;
    private final AtomicReference<byte[]> states;
    private final byte[] healedStates;
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final AtomicInteger rejectedLogins = new AtomicInteger();
    private final AtomicInteger statesRequests = new AtomicInteger();
    private final Set<WsContext> sockets = ConcurrentHashMap.newKeySet();
    private final String entityRegistry;
    private final String displayRegistry;
    private final String deviceRegistry;
    private final byte[] configEntries;
    private final int unavailable;
    private final AtomicReference<WsContext> subscriber = new AtomicReference<>();
    private final CompletableFuture<Long> subscription = new CompletableFuture<>();

    private record Layout(byte[] states, byte[] healedStates, String entityRegistry, String displayRegistry, String deviceRegistry,
            byte[] configEntries, int unavailable) {
    }

    private static Layout layout(int entities, int stormSize) throws IOException {
        ArrayNode stateArray = JSON.createArrayNode();
        ArrayNode entityArray = JSON.createArrayNode();
        ArrayNode deviceArray = JSON.createArrayNode();
        ArrayNode entryArray = JSON.createArrayNode();
        int down = 0;
        int total = entities + stormSize;
        for (int i = 0; i < total; i++) {
            boolean storm = i < stormSize;
            int deviceIndex = i / 5;
            int entryIndex = storm ? 0 : 1 + (i - stormSize) / 500;
            String entryId = String.format(Locale.ROOT, "entry%05d", entryIndex);
            String deviceId = String.format(Locale.ROOT, "device%06d", deviceIndex);
            if (i % 5 == 0) {
                deviceArray.add(device(deviceId, entryId, deviceIndex));
            }
            if ((storm && i == 0) || (!storm && (i - stormSize) % 500 == 0)) {
                entryArray.add(entry(entryId, storm ? "storm" : "zha"));
            }
            boolean unavailableNow = storm || deviceIndex % 50 == 7 || i % 200 == 13;
            down += unavailableNow ? 1 : 0;
            String entityId = "sensor.device" + deviceIndex + "_" + (i % 5);
            stateArray.add(state(entityId, unavailableNow ? "unavailable" : String.valueOf(20 + i % 10), deviceIndex, i % 5));
            entityArray.add(registryEntry(entityId, entryId, deviceId, storm ? "storm" : "zha"));
        }
        return new Layout(JSON.writeValueAsBytes(stateArray), JSON.writeValueAsBytes(healed(stateArray)), result(entityArray),
                displayResult(entityArray), result(deviceArray), JSON.writeValueAsBytes(entryArray), down);
    }

    /** {@code down} devices of one loaded config entry, two entities each, the first of each unavailable. */
    private static Layout scattered(int down) throws IOException {
        ArrayNode stateArray = JSON.createArrayNode();
        ArrayNode entityArray = JSON.createArrayNode();
        ArrayNode deviceArray = JSON.createArrayNode();
        ArrayNode entryArray = JSON.createArrayNode();
        entryArray.add(entry("entry00000", "zha"));
        for (int d = 0; d < down; d++) {
            String deviceId = String.format(Locale.ROOT, "device%06d", d);
            deviceArray.add(device(deviceId, "entry00000", d));
            for (int n = 0; n < 2; n++) {
                String entityId = "sensor.device" + d + "_" + n;
                stateArray.add(state(entityId, n == 0 ? "unavailable" : "21", d, n));
                entityArray.add(registryEntry(entityId, "entry00000", deviceId, "zha"));
            }
        }
        return new Layout(JSON.writeValueAsBytes(stateArray), JSON.writeValueAsBytes(healed(stateArray)), result(entityArray),
                displayResult(entityArray), result(deviceArray), JSON.writeValueAsBytes(entryArray), down);
    }

    private static ArrayNode healed(ArrayNode states) {
        ArrayNode healed = states.deepCopy();
        healed.forEach(state -> {
            if ("unavailable".equals(state.get("state").asText())) {
                ((ObjectNode) state).put("state", "20");
            }
        });
        return healed;
    }

    private SyntheticHomeAssistant(Layout layout) {
        this.states = new AtomicReference<>(layout.states());
        this.healedStates = layout.healedStates();
        this.entityRegistry = layout.entityRegistry();
        this.displayRegistry = layout.displayRegistry();
        this.deviceRegistry = layout.deviceRegistry();
        this.configEntries = layout.configEntries();
        this.unavailable = layout.unavailable();
        // Real HA answers registries of tens of MB in one WebSocket message; OkHttp's server side caps a message
        // at 16 MiB, so this runs on Javalin (Jetty), which sends large messages as HA's aiohttp does.
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before("/api/*", ctx -> {
                if (revoked.get() && !ctx.path().equals("/api/websocket")) {
                    rejectedLogins.incrementAndGet();
                    ctx.skipRemainingHandlers();
                    ctx.status(401).result("401: Unauthorized");
                }
            });
            config.routes.get("/api/", ctx -> json(ctx, "{\"message\":\"API running.\"}".getBytes(StandardCharsets.UTF_8)));
            config.routes.get("/api/config", ctx -> json(ctx, ("{\"version\":\"2024.3.3\",\"state\":\"RUNNING\","
                    + "\"location_name\":\"Synthetic\",\"components\":[\"zha\"]}").getBytes(StandardCharsets.UTF_8)));
            config.routes.get("/api/states", ctx -> {
                statesRequests.incrementAndGet();
                json(ctx, states.get());
            });
            config.routes.get("/api/config/config_entries/entry", ctx -> json(ctx, configEntries));
            config.routes.ws("/api/websocket", ws -> {
                ws.onConnect(ctx -> {
                    sockets.add(ctx);
                    ctx.session.setIdleTimeout(java.time.Duration.ZERO);
                    ctx.send("{\"type\":\"auth_required\",\"ha_version\":\"2024.3.3\"}");
                });
                ws.onMessage(this::onMessage);
                ws.onClose(sockets::remove);
            });
        }).start("127.0.0.1", 0);
    }

    /** {@code entities} entities in the layout above, plus an optional storm entry of {@code stormSize}. */
    public static SyntheticHomeAssistant start(int entities, int stormSize) throws IOException {
        return new SyntheticHomeAssistant(layout(entities, stormSize));
    }

    /** {@code down} single-entity root causes: devices of two entities, one of them unavailable. */
    public static SyntheticHomeAssistant scatteredStorm(int down) throws IOException {
        return new SyntheticHomeAssistant(scattered(down));
    }

    /** Every unavailable entity answers again from the next {@code /api/states} on. */
    public void heal() {
        states.set(healedStates);
    }

    /** The token is revoked: as HA does, open WebSockets are closed, and every later login is refused. */
    public void revokeToken() {
        revoked.set(true);
        sockets.forEach(socket -> socket.closeSession(1000, "token revoked"));
    }

    public void restoreToken() {
        revoked.set(false);
    }

    /** How many times {@code /api/states} was asked for. */
    public int statesRequests() {
        return statesRequests.get();
    }

    /** Requests and WebSocket logins refused since the token was revoked: what HA reports as failed logins. */
    public int rejectedLogins() {
        return rejectedLogins.get();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** How many entities are unavailable. */
    public int unavailable() {
        return unavailable;
    }

    /** The size in bytes of the states and registry answers: what a cycle downloads and parses. */
    public long payloadBytes() {
        return states.get().length + displayRegistry.length() + deviceRegistry.length() + configEntries.length;
    }

    /** The WebSocket that subscribed to state_changed, once one did, with its subscription id. */
    public WsContext awaitSubscriber() {
        subscription.join();
        return subscriber.get();
    }

    public long subscriptionId() {
        return subscription.join();
    }

    /**
     * Sends {@code frames} state_changed events (one per frame, as HA sends them without coalescing) to the
     * subscriber as fast as it takes them: the send queue is kept under 4 MB so nothing is dropped.
     */
    public void streamStateChanges(long frames) throws InterruptedException {
        WsContext socket = awaitSubscriber();
        long id = subscriptionId();
        String prefix = "{\"id\":" + id + ",\"type\":\"event\",\"event\":{\"event_type\":\"state_changed\",\"data\":"
                + "{\"entity_id\":\"sensor.device1_0\",\"old_state\":" + stateJson("21") + ",\"new_state\":" + stateJson("22")
                + "},\"origin\":\"LOCAL\",\"time_fired\":\"" + TIME + "\",\"context\":{\"id\":\"01HZ";
        for (long i = 0; i < frames; i++) {
            String frame = prefix + String.format(Locale.ROOT, "%022d", i) + "\",\"parent_id\":null,\"user_id\":null}}}";
            if (i % 1000 == 999) {
                // Every thousandth frame waits until it is written: the send queue stays bounded, nothing is dropped.
                Callback.Completable written = new Callback.Completable();
                socket.session.sendText(frame, written);
                written.join();
            } else {
                socket.session.sendText(frame, Callback.NOOP);
            }
        }
    }

    private static String stateJson(String value) {
        return state("sensor.device1_0", value, 1, 0).toString();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void onMessage(WsMessageContext ctx) {
        String text = ctx.message();
        if (text.contains("\"type\":\"auth\"")) {
            if (revoked.get()) {
                rejectedLogins.incrementAndGet();
                ctx.send("{\"type\":\"auth_invalid\",\"message\":\"Invalid access token or password\"}");
                return;
            }
            ctx.send(text.contains(TOKEN.value()) ? "{\"type\":\"auth_ok\",\"ha_version\":\"2024.3.3\"}"
                    : "{\"type\":\"auth_invalid\",\"message\":\"Invalid access token or password\"}");
            return;
        }
        long id = Long.parseLong(text.replaceAll(".*\"id\":(\\d+).*", "$1"));
        if (text.contains("config/entity_registry/list_for_display")) {
            ctx.send("{\"id\":" + id + displayRegistry);
        } else if (text.contains("config/entity_registry/get_entries")) {
            ctx.send("{\"id\":" + id + ",\"type\":\"result\",\"success\":true,\"result\":{}}"); // every entry resolves by device
        } else if (text.contains("config/entity_registry/list")) {
            ctx.send("{\"id\":" + id + entityRegistry);
        } else if (text.contains("config/device_registry/list")) {
            ctx.send("{\"id\":" + id + deviceRegistry);
        } else {
            ctx.send("{\"id\":" + id + ",\"type\":\"result\",\"success\":true,\"result\":null}");
            if (text.contains("subscribe_events")) {
                subscriber.set(ctx);
                subscription.complete(id);
            }
        }
    }

    // Everything of a result frame after its id: the large answers are serialised once.
    private static String result(ArrayNode result) throws IOException {
        return ",\"type\":\"result\",\"success\":true,\"result\":" + JSON.writeValueAsString(result) + "}";
    }

    /** HA 2024.3's {@code list_for_display} of the same entries: what the agent reads (the full list is its fallback). */
    private static String displayResult(ArrayNode registry) throws IOException {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("entity_categories").put("0", "config").put("1", "diagnostic");
        ArrayNode entities = result.putArray("entities");
        for (var entry : registry) {
            ObjectNode display = entities.addObject();
            display.put("ei", entry.get("entity_id").asText());
            display.put("pl", entry.get("platform").asText());
            display.putArray("lb");
            display.put("di", entry.get("device_id").asText());
            display.put("en", entry.get("original_name").asText());
        }
        return ",\"type\":\"result\",\"success\":true,\"result\":" + JSON.writeValueAsString(result) + "}";
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType("application/json").result(body);
    }

    private static ObjectNode state(String entityId, String state, int device, int n) {
        ObjectNode node = JSON.createObjectNode();
        node.put("entity_id", entityId);
        node.put("state", state);
        ObjectNode attributes = node.putObject("attributes");
        attributes.put("state_class", "measurement");
        attributes.put("unit_of_measurement", "°C");
        attributes.put("device_class", "temperature");
        attributes.put("friendly_name", "Device " + device + " sensor " + n);
        node.put("last_changed", TIME);
        node.put("last_reported", TIME);
        node.put("last_updated", TIME);
        ObjectNode context = node.putObject("context");
        context.put("id", String.format(Locale.ROOT, "01HZ%022d", device * 5L + n));
        context.putNull("parent_id");
        context.putNull("user_id");
        return node;
    }

    private static ObjectNode registryEntry(String entityId, String entryId, String deviceId, String platform) {
        ObjectNode node = JSON.createObjectNode();
        node.putNull("area_id");
        node.put("config_entry_id", entryId);
        node.put("device_id", deviceId);
        node.putNull("disabled_by");
        node.putNull("entity_category");
        node.put("entity_id", entityId);
        node.put("has_entity_name", true);
        node.putNull("hidden_by");
        node.putNull("icon");
        node.put("id", Integer.toHexString(entityId.hashCode()) + "0123456789abcdef0123456789");
        node.putArray("labels");
        node.putNull("name");
        node.putObject("options").putObject("conversation").put("should_expose", false);
        node.put("original_name", "Temperature");
        node.put("platform", platform);
        node.putNull("translation_key");
        node.put("unique_id", entityId + "-unique");
        return node;
    }

    private static ObjectNode device(String deviceId, String entryId, int index) {
        ObjectNode node = JSON.createObjectNode();
        node.putNull("area_id");
        node.putNull("configuration_url");
        node.putArray("config_entries").add(entryId);
        node.putArray("connections").addArray().add("zigbee").add(String.format(Locale.ROOT, "00:0d:6f:%06x", index));
        node.putNull("disabled_by");
        node.putNull("entry_type");
        node.putNull("hw_version");
        node.put("id", deviceId);
        node.putArray("identifiers").addArray().add("zha").add(deviceId);
        node.putArray("labels");
        node.put("manufacturer", "Acme");
        node.put("model", "X1");
        node.putNull("name_by_user");
        node.put("name", "Device " + index);
        node.putNull("serial_number");
        node.put("sw_version", "1.0");
        node.putNull("via_device_id");
        return node;
    }

    private static ObjectNode entry(String entryId, String domain) {
        ObjectNode node = JSON.createObjectNode();
        node.put("entry_id", entryId);
        node.put("domain", domain);
        node.put("title", domain + " " + entryId);
        node.put("source", "user");
        node.put("state", "loaded");
        node.put("supports_options", true);
        node.put("supports_remove_device", true);
        node.put("supports_unload", true);
        node.put("pref_disable_new_entities", false);
        node.put("pref_disable_polling", false);
        node.putNull("disabled_by");
        node.putNull("reason");
        return node;
    }
}
