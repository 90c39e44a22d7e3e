package dev.hadiag.ha.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hadiag.core.ha.AutomationTrace;
import dev.hadiag.core.ha.BackupInfo;
import dev.hadiag.core.ha.ConfigEntry;
import dev.hadiag.core.ha.DeviceRegistryEntry;
import dev.hadiag.core.ha.EntityRegistryEntry;
import dev.hadiag.core.ha.EntityState;
import dev.hadiag.core.ha.HaConfig;
import dev.hadiag.core.ha.HaRegistries;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.LogEntry;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.HomeAssistantException;
import dev.hadiag.core.ha.RecorderInfo;
import dev.hadiag.core.ha.RepairIssue;
import dev.hadiag.core.ha.SystemHealth;
import dev.hadiag.core.port.HomeAssistant;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The {@link HomeAssistant} port over HA's REST API and one authenticated WebSocket for commands, both
 * through one {@link OkHttpClient}. The WebSocket is opened on first use and again after it is lost.
 * Failures become the core's three {@link HomeAssistantException} kinds; no message contains the token.
 */
public final class OkHttpHomeAssistant implements HomeAssistant, AutoCloseable {

    private final HaClientSettings settings;
    private final OkHttpClient client;
    private final boolean ownsClient;
    /** HA on this machine: its REST answers are asked for uncompressed. */
    private final boolean loopback;
    private final Object sessionLock = new Object();
    private HaWebSocketSession session;
    /** False once HA answered {@code unknown_command} to the display list (none this project supports does). */
    private volatile boolean displayListAnswers = true;

    private static final int GET_ENTRIES_BATCH = 1000;
    /** Below aiohttp's keep-alive of 75 s (and any common proxy's but Apache's 5 s, which the retry covers). */
    static final java.time.Duration POOLED_IDLE = java.time.Duration.ofSeconds(30);
    private static final int IDLE_CONNECTIONS = 2;

    /** A client with its own {@link OkHttpClient}, released by {@link #close()}. */
    public OkHttpHomeAssistant(HaClientSettings settings) {
        this(settings, newClient(settings), true);
    }

    /** A client sharing {@code client} (which stays open when this one closes). */
    public OkHttpHomeAssistant(HaClientSettings settings, OkHttpClient client) {
        this(settings, client, false);
    }

    private OkHttpHomeAssistant(HaClientSettings settings, OkHttpClient client, boolean ownsClient) {
        this.settings = settings;
        this.client = client;
        this.ownsClient = ownsClient;
        this.loopback = isLoopback(HttpUrl.get(settings.baseUrl()).host());
    }

    /** A loopback address or {@code localhost} as written in the URL (nothing is resolved). */
    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.[0-9]{1,3}){3}");
    }

    /**
     * The one client configuration: explicit timeouts for REST; the WebSocket's own read timeout is off.
     *
     * <p>Issue 24: HA's aiohttp closes a keep-alive connection idle for 75 s, and a request sent on it reads "unexpected
     * end of stream": a heartbeat every 100 s found a healthy HA dead. So idle connections are dropped well before
     * HA drops them, and a request that fails on a pooled connection a proxy in front of HA closed sooner is sent
     * again on a fresh one (OkHttp's retry; every call of this client is an idempotent GET or a WebSocket upgrade).
     * A request that timed out waiting for its answer is not sent again, and the call timeout bounds every call.
     */
    public static OkHttpClient newClient(HaClientSettings settings) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (!settings.isTls()) {
            // Plain HTTP, as most installs reach HA: without this OkHttp builds its TLS set-up anyway, loading the
            // JVM's trust store (some 150 CA certificates, kept in the heap) and about 900 classes the agent never uses.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return TlsTrust.trusting(builder, settings.trustedCertificates())
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.requestTimeout())
                .writeTimeout(settings.requestTimeout())
                .callTimeout(settings.requestTimeout())
                .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, POOLED_IDLE.toMillis(), TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(true)
                .build();
    }

    public HaClientSettings settings() {
        return settings;
    }

    @Override
    public void ping() {
        get("/api/", body -> null);
    }

    @Override
    public HaConfig config() {
        return get("/api/config", body -> HaJson.config(readTree(body, "/api/config")));
    }

    @Override
    public void forEachState(Consumer<EntityState> consumer) {
        get("/api/states", body -> {
            HaJson.states(body, HaJson.EVERY_ATTRIBUTE, consumer);
            return null;
        });
    }

    /** The attributes not named are skipped by the parser: no map, no string is made of them. */
    @Override
    public void forEachState(Set<String> attributes, Consumer<EntityState> consumer) {
        Set<String> named = Set.copyOf(attributes);
        get("/api/states", body -> {
            HaJson.states(body, named::contains, consumer);
            return null;
        });
    }

    @Override
    public Optional<EntityState> state(String entityId) {
        String path = "/api/states/" + entityId;
        return Optional.ofNullable(request(path, true, body -> HaJson.state(readTree(body, path), path)));
    }

    @Override
    public List<ConfigEntry> configEntries() {
        return get("/api/config/config_entries/entry",
                body -> HaJson.configEntries(readTree(body, "config entries"), "/api/config/config_entries/entry"));
    }

    /** The devices, the config entries, then the entities resolved against both: each read once per call. */
    @Override
    public HaRegistries registries() {
        List<DeviceRegistryEntry> devices = deviceRegistry();
        List<ConfigEntry> entries = configEntries();
        return new HaRegistries(entries, devices, entityRegistry(entries, devices));
    }

    /**
     * Built from HA's compact display list where HA has it ({@link CompactEntityRegistry}): the same entries, disabled
     * ones left out, at a fifth of the bytes. An HA without the display list gets {@link #fullEntityRegistry()}.
     */
    private List<EntityRegistryEntry> entityRegistry(List<ConfigEntry> entries, List<DeviceRegistryEntry> devices) {
        if (!displayListAnswers) {
            return fullEntityRegistry();
        }
        List<CompactEntityRegistry.DisplayEntry> display;
        try {
            display = session().callList("config/entity_registry/list_for_display", Map.of(), "entities",
                    settings.requestTimeout(), CompactEntityRegistry.DISPLAY_ENTRY);
        } catch (HaProtocolException e) {
            if (!String.valueOf(e.getMessage()).contains("unknown_command")) {
                throw e;
            }
            displayListAnswers = false;
            return fullEntityRegistry();
        }
        return guarded("config/entity_registry/list_for_display",
                () -> CompactEntityRegistry.resolve(display, entries, devices, this::entityRegistryEntries));
    }

    /** The whole {@code config/entity_registry/list}, disabled entries included. */
    public List<EntityRegistryEntry> fullEntityRegistry() {
        return guarded("config/entity_registry/list", () -> session().callList("config/entity_registry/list", Map.of(),
                settings.requestTimeout(), HaJson.ENTITY_REGISTRY_ENTRY));
    }

    /** The full entries of these entity ids ({@code config/entity_registry/get_entries}); unknown ids are left out. */
    Map<String, EntityRegistryEntry> entityRegistryEntries(List<String> entityIds) {
        Map<String, EntityRegistryEntry> found = new LinkedHashMap<>();
        for (int from = 0; from < entityIds.size(); from += GET_ENTRIES_BATCH) {
            List<String> batch = entityIds.subList(from, Math.min(entityIds.size(), from + GET_ENTRIES_BATCH));
            command("config/entity_registry/get_entries", Map.of("entity_ids", batch), node -> {
                node.fields().forEachRemaining(field -> {
                    if (field.getValue().isObject()) {
                        found.put(field.getKey(), HaJson.ENTITY_REGISTRY_ENTRY.map(field.getValue(),
                                "config/entity_registry/get_entries." + field.getKey()));
                    }
                });
                return null;
            });
        }
        return found;
    }

    /** The device registry alone ({@code config/device_registry/list}); checks read it through {@link #registries()}. */
    public List<DeviceRegistryEntry> deviceRegistry() {
        return guarded("config/device_registry/list", () -> session().callList(
                "config/device_registry/list", Map.of(), settings.requestTimeout(), HaJson.DEVICE_REGISTRY_ENTRY));
    }

    @Override
    public List<AutomationTrace> automationTraces() {
        return command("trace/list", Map.of("domain", "automation"), HaJson::traces);
    }

    @Override
    public RecorderInfo recorderInfo() {
        return command("recorder/info", Map.of(), HaJson::recorderInfo);
    }

    @Override
    public List<RepairIssue> repairIssues() {
        return command("repairs/list_issues", Map.of(), HaJson::repairIssues);
    }

    @Override
    public BackupInfo backupInfo() {
        return command("backup/info", Map.of(), HaJson::backupInfo);
    }

    @Override
    public List<LogEntry> systemLog() {
        return command("system_log/list", Map.of(), HaJson::systemLog);
    }

    /**
     * {@code system_health/info} is a subscription: an {@code initial} event with every domain's info,
     * {@code update} events resolving pending values, then {@code finish}.
     */
    @Override
    public SystemHealth systemHealth() {
        HaWebSocketSession current = session();
        Map<String, Map<String, Object>> domains = new LinkedHashMap<>();
        CompletableFuture<JsonNode> finished = new CompletableFuture<>();
        HaWebSocketSession.Subscription subscription = current.subscribe("system_health/info", Map.of(), event -> {
            synchronized (domains) {
                switch (event.path("type").asText("")) {
                    case "initial" -> event.path("data").fields().forEachRemaining(domain -> {
                        Map<String, Object> info = new LinkedHashMap<>(HaJson.object(domain.getValue().path("info")));
                        JsonNode error = domain.getValue().get("error");
                        if (error != null && error.isObject()) {
                            info.put("error", HaJson.object(error));
                        }
                        domains.put(domain.getKey(), info);
                    });
                    case "update" -> {
                        Map<String, Object> info = domains.computeIfAbsent(event.path("domain").asText(""), d -> new LinkedHashMap<>());
                        String key = event.path("key").asText("");
                        info.put(key, event.path("success").asBoolean(false)
                                ? HaJson.MAPPER.convertValue(event.path("data"), Object.class)
                                : HaJson.object(event.path("error")));
                    }
                    case "finish" -> finished.complete(event);
                    default -> {
                        // a newer HA's event kind: nothing this check needs
                    }
                }
            }
        });
        try {
            current.await(subscription.result(), "system_health/info", settings.requestTimeout());
            current.await(finished, "system_health/info (finish)", settings.requestTimeout());
        } finally {
            current.unsubscribe(subscription.id());
        }
        synchronized (domains) {
            return guarded("system_health/info", () -> new SystemHealth(domains));
        }
    }

    @Override
    public void close() {
        synchronized (sessionLock) {
            if (session != null) {
                session.close();
                session = null;
            }
        }
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private HaWebSocketSession session() {
        synchronized (sessionLock) {
            if (session == null || !session.isOpen()) {
                session = HaWebSocketSession.open(client, settings, () -> { });
            }
            return session;
        }
    }

    /** One WebSocket command (package-private: the real-HA tests drive HA's own actions, e.g. a backup, through it). */
    <T> T command(String type, Map<String, Object> fields, Function<JsonNode, T> mapper) {
        JsonNode result = session().call(type, fields, settings.requestTimeout());
        return guarded(type, () -> mapper.apply(result));
    }

    private interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    private <T> T get(String path, BodyReader<T> reader) {
        return request(path, false, reader);
    }

    /** @param missingIsNull whether a 404 means "no such thing" (null) rather than a protocol error */
    private <T> T request(String path, boolean missingIsNull, BodyReader<T> reader) {
        String what = "GET " + path;
        Request.Builder builder = new Request.Builder().url(settings.url(path))
                .header("Authorization", "Bearer " + settings.token().value())
                .header("Accept", "application/json");
        if (loopback) {
            // HA compresses its JSON for any client that accepts gzip: on the same machine that is CPU spent by HA
            // and by the agent (11 MB of /api/states at 20,000 entities) to save no network at all.
            builder.header("Accept-Encoding", "identity");
        }
        Request request = builder.build();
        Call call = client.newCall(request);
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            throw new HaUnreachableException(settings.baseUrl() + " unreachable: " + what + ": " + describe(e), e);
        }
        try (response) {
            int code = response.code();
            if (code == 401 || code == 403) {
                throw new HaUnauthorizedException(settings.baseUrl() + " rejected the access token: " + what + " answered HTTP " + code, null);
            }
            if (code >= 500) {
                throw new HaUnreachableException(settings.baseUrl() + " failing: " + what + " answered HTTP " + code, null);
            }
            if (code == 404 && missingIsNull) {
                return null;
            }
            if (code != 200) {
                throw new HaProtocolException(settings.baseUrl() + ": " + what + " answered HTTP " + code, null);
            }
            try (InputStream body = response.body().byteStream()) {
                return guardedIo(what, () -> reader.read(body));
            } catch (InterruptedIOException e) {
                throw new HaUnreachableException(settings.baseUrl() + ": " + what + " timed out reading the answer after "
                        + settings.requestTimeout(), e);
            } catch (JsonProcessingException e) {
                throw new HaProtocolException(settings.baseUrl() + ": " + what + " answered malformed JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new HaProtocolException(settings.baseUrl() + ": " + what + " answer broke off: " + describe(e), e);
            }
        } finally {
            call.cancel();
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Core records reject values HA should never send; that is HA's protocol error, not ours. */
    private static <T> T guardedIo(String what, IoSupplier<T> mapping) throws IOException {
        try {
            return mapping.get();
        } catch (IllegalArgumentException e) {
            throw new HaProtocolException(what + ": " + e.getMessage(), e);
        }
    }

    private static <T> T guarded(String what, java.util.function.Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (IllegalArgumentException e) {
            throw new HaProtocolException(what + ": " + e.getMessage(), e);
        }
    }

    private JsonNode readTree(InputStream body, String what) throws IOException {
        JsonNode node = HaJson.MAPPER.readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new HaProtocolException(settings.baseUrl() + ": " + what + " answered an empty body", null);
        }
        return node;
    }

    private static String describe(IOException e) {
        Optional<String> tls = TlsTrust.describe(e);
        if (tls.isPresent()) {
            return tls.get();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
