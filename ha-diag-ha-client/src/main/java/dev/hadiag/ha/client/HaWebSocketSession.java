package dev.hadiag.ha.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.hadiag.core.ha.AccessToken;
import dev.hadiag.core.ha.HaProtocolException;
import dev.hadiag.core.ha.HaUnauthorizedException;
import dev.hadiag.core.ha.HaUnreachableException;
import dev.hadiag.core.ha.HomeAssistantException;
import dev.hadiag.core.ha.LiveSignal;
import java.lang.System.Logger.Level;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One authenticated WebSocket to HA: the auth handshake, increasing message ids, results matched to
 * their command, events to their subscription. Frames may be single messages or JSON arrays of them
 * (HA coalesces when asked to). Every frame, of any kind, is reported to the frame observer first.
 */
final class HaWebSocketSession {

    private static final System.Logger LOG = System.getLogger(HaWebSocketSession.class.getName());

    private final String endpoint;
    private final AccessToken token;
    private final Runnable onFrame;
    private final CompletableFuture<String> authenticated = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<JsonNode>> subscriptions = new ConcurrentHashMap<>();
    private final Map<Long, ListReader<?>> listReaders = new ConcurrentHashMap<>();
    private final Map<Long, EventReader> eventReaders = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private long lastId;
    // Written by open() after newWebSocket returns, which can be after HA's first frame arrived: frames are
    // handled with the listener's own WebSocket argument, never with this field.
    private volatile WebSocket socket;
    // #16: what the end of this connection says about HA (a planned stop, a crash, the network).
    private volatile LiveSignal.DisconnectCause closeCause = LiveSignal.DisconnectCause.OTHER;

    private HaWebSocketSession(String endpoint, AccessToken token, Runnable onFrame) {
        this.endpoint = endpoint;
        this.token = token;
        this.onFrame = onFrame;
    }

    /**
     * Connects and authenticates, waiting at most {@code timeout}.
     *
     * @throws HaUnauthorizedException on {@code auth_invalid}
     * @throws HaUnreachableException  when no authenticated connection comes up in time
     */
    static HaWebSocketSession open(OkHttpClient client, HaClientSettings settings, Runnable onFrame) {
        HaWebSocketSession session = new HaWebSocketSession(settings.webSocketUrl().toString(), settings.token(), onFrame);
        session.socket = client.newWebSocket(new Request.Builder().url(settings.webSocketUrl()).build(), session.new Listener());
        Duration timeout = settings.connectTimeout().plus(settings.connectTimeout());
        try {
            session.authenticated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            session.sendSupportedFeatures();
            return session;
        } catch (TimeoutException e) {
            session.close();
            throw new HaUnreachableException("WebSocket " + session.endpoint + ": not authenticated within " + timeout, e);
        } catch (ExecutionException e) {
            session.close();
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close();
            throw new HaUnreachableException("WebSocket " + session.endpoint + ": interrupted while connecting", e);
        }
    }

    /** The HA version from {@code auth_ok}. */
    String haVersion() {
        return authenticated.getNow("");
    }

    /** Completes (with the reason) when the connection is gone for any cause. */
    CompletableFuture<String> closed() {
        return closed;
    }

    /** What ended the connection says about HA; meaningful once {@link #closed()} completed. */
    LiveSignal.DisconnectCause closeCause() {
        return closeCause;
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    /** A subscription's id (what {@link #unsubscribe} takes) and the result of the subscribing command. */
    record Subscription(long id, CompletableFuture<JsonNode> result) {
    }

    /** Sends a command; the future completes with its {@code result} (or the {@code pong} message for a ping). */
    CompletableFuture<JsonNode> command(String type, Map<String, Object> fields) {
        return send(type, fields, null, null).result();
    }

    /** Sends a subscribing command; its events go to {@code events} until unsubscribed or closed. */
    Subscription subscribe(String type, Map<String, Object> fields, Consumer<JsonNode> events) {
        return send(type, fields, events, null);
    }

    /** Reads one event of a subscription off the frame's parser, at the event's START_OBJECT, instead of as a JSON tree. */
    interface EventReader {
        Object read(JsonParser parser) throws IOException;
    }

    /**
     * Like {@link #subscribe}, but each event is read by {@code reader} while the frame is parsed, so a busy
     * stream never builds the trees of what the subscriber skips; the subscriber gets what the reader returns.
     */
    Subscription subscribeReading(String type, Map<String, Object> fields, EventReader reader, Consumer<Object> events) {
        Subscription subscription = send(type, fields, event -> events.accept(readEvent(reader, event)), null);
        if (subscription.id() > 0) {
            eventReaders.put(subscription.id(), reader); // an event that came before this was built as a tree: read below
        }
        return subscription;
    }

    private static Object readEvent(EventReader reader, JsonNode event) {
        if (event instanceof POJONode pojo) {
            return pojo.getPojo();
        }
        try (JsonParser parser = event.traverse(HaJson.MAPPER)) {
            parser.nextToken();
            return reader.read(parser);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unreadable event skipped: {0}", e.getMessage());
            return null;
        }
    }

    /**
     * Sends a command whose result is a JSON array and maps it element by element as the frame is read:
     * a registry of 50,000 entries is never held as one JSON tree (tens of MB), only as the mapped list.
     */
    <T> List<T> callList(String type, Map<String, Object> fields, Duration timeout, HaJson.ElementMapper<T> mapper) {
        return callList(type, fields, "", timeout, mapper);
    }

    /**
     * Like {@link #callList}, for a command whose result is an object holding the array in {@code field}
     * ({@code config/entity_registry/list_for_display}); the object's other fields are skipped unread.
     */
    <T> List<T> callList(String type, Map<String, Object> fields, String field, Duration timeout, HaJson.ElementMapper<T> mapper) {
        Subscription sent = send(type, fields, null, new ListReader<>(type, field, mapper));
        JsonNode result = await(sent.result(), type, timeout);
        if (result instanceof POJONode pojo) {
            Object value = pojo.getPojo();
            if (value instanceof RuntimeException failure) {
                throw failure instanceof HomeAssistantException known ? known : new HaProtocolException(type + ": " + failure.getMessage(), failure);
            }
            @SuppressWarnings("unchecked")
            List<T> list = (List<T>) value;
            return list;
        }
        // not the expected shape, or fields in an unusual order: the tree was built
        return HaJson.list(field.isEmpty() ? result : result.path(field), field.isEmpty() ? type : type + "." + field, mapper);
    }

    /**
     * Reads one array result element by element: the mapped list, or the first mapping failure. With a
     * {@code field}, the result is an object and the array is that field's value.
     */
    private record ListReader<T>(String what, String field, HaJson.ElementMapper<T> mapper) {

        /** Whether a result starting with {@code token} is what this reader reads as it streams. */
        boolean reads(JsonToken token) {
            return token == (field.isEmpty() ? JsonToken.START_ARRAY : JsonToken.START_OBJECT);
        }

        /** The parser at the result's first token. */
        Object read(JsonParser parser) throws IOException {
            if (field.isEmpty()) {
                return readArray(parser);
            }
            Object list = new HaProtocolException(what + ": result has no array '" + field + "'", null);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = field.equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_ARRAY && wanted) {
                    list = readArray(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return list;
        }

        private Object readArray(JsonParser parser) throws IOException {
            List<T> mapped = new ArrayList<>();
            RuntimeException failure = null;
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String at = (field.isEmpty() ? what : what + "." + field) + "[" + index++ + "]";
                JsonNode element = HaJson.MAPPER.readTree(parser);
                if (failure == null) {
                    try {
                        HaJson.requireObject(element, at);
                        mapped.add(mapper.map(element, at));
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
            }
            return failure != null ? failure : mapped;
        }
    }

    /** Sends a command and waits for its result. */
    JsonNode call(String type, Map<String, Object> fields, Duration timeout) {
        return await(command(type, fields), type, timeout);
    }

    JsonNode await(CompletableFuture<JsonNode> result, String what, Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new HaUnreachableException("WebSocket command " + what + ": no answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HaUnreachableException("WebSocket command " + what + ": interrupted", e);
        }
    }

    void unsubscribe(long subscriptionId) {
        subscriptions.remove(subscriptionId);
        eventReaders.remove(subscriptionId);
        if (subscriptionId > 0 && isOpen()) {
            send("unsubscribe_events", Map.of("subscription", subscriptionId), null, null);
        }
    }

    private Subscription send(String type, Map<String, Object> fields, Consumer<JsonNode> events, ListReader<?> listReader) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        synchronized (sendLock) {
            if (!isOpen()) {
                result.completeExceptionally(new HaUnreachableException("WebSocket " + endpoint + " is closed: " + closed.getNow(""), null));
                return new Subscription(-1, result);
            }
            long id = ++lastId;
            ObjectNode message = HaJson.MAPPER.createObjectNode();
            message.put("id", id);
            message.put("type", type);
            fields.forEach((key, value) -> message.set(key, HaJson.MAPPER.valueToTree(value)));
            pending.put(id, result);
            if (events != null) {
                subscriptions.put(id, events);
            }
            if (listReader != null) {
                listReaders.put(id, listReader);
            }
            result.whenComplete((ignored, failure) -> {
                pending.remove(id);
                listReaders.remove(id);
            });
            if (!socket.send(message.toString())) {
                result.completeExceptionally(new HaUnreachableException("WebSocket " + endpoint + ": send failed (closing)", null));
            }
            return new Subscription(id, result);
        }
    }

    private void sendSupportedFeatures() {
        // Lets HA batch messages into JSON arrays under load; the parser accepts both forms.
        command("supported_features", Map.of("features", Map.of("coalesce_messages", 1)));
    }

    void close() {
        if (socket != null) {
            socket.close(1000, "ha-diag closing");
            socket.cancel();
        }
        shutDown(new HaUnreachableException("WebSocket " + endpoint + " closed by ha-diag", null), "closed by ha-diag");
    }

    /**
     * Ends a connection HA stopped answering on. Issue 24: the disconnect reports {@code reason} (a missing pong),
     * not "closed by ha-diag", which said nothing of HA.
     */
    void abandon(String reason) {
        if (closed.isDone()) {
            return;
        }
        closeCause = LiveSignal.DisconnectCause.UNREACHABLE;
        shutDown(new HaUnreachableException("WebSocket " + endpoint + ": " + reason, null), reason);
        if (socket != null) {
            socket.cancel();
        }
    }

    private void shutDown(HomeAssistantException cause, String reason) {
        closed.complete(reason);
        authenticated.completeExceptionally(cause);
        pending.values().forEach(f -> f.completeExceptionally(cause));
        pending.clear();
        subscriptions.clear();
    }

    private void handle(JsonNode message, WebSocket webSocket) {
        String type = message.path("type").asText("");
        switch (type) {
            case "auth_required" -> webSocket.send("{\"type\":\"auth\",\"access_token\":" + quoted(token.value()) + "}");
            case "auth_ok" -> authenticated.complete(message.path("ha_version").asText(""));
            case "auth_invalid" -> {
                HaUnauthorizedException rejected = new HaUnauthorizedException("WebSocket " + endpoint
                        + ": Home Assistant rejected the token (" + message.path("message").asText("auth_invalid") + ")", null);
                webSocket.close(1000, "auth_invalid");
                shutDown(rejected, "auth_invalid");
            }
            case "result" -> {
                CompletableFuture<JsonNode> result = pending.get(message.path("id").asLong(-1));
                if (result == null) {
                    return;
                }
                if (message.path("success").asBoolean(false)) {
                    result.complete(message.path("result"));
                } else {
                    JsonNode error = message.path("error");
                    subscriptions.remove(message.path("id").asLong(-1));
                    String code = error.path("code").asText("unknown");
                    result.completeExceptionally(new HaProtocolException("command failed: " + code + ": " + error.path("message").asText(""),
                            null, code));
                }
            }
            case "pong" -> {
                CompletableFuture<JsonNode> pong = pending.get(message.path("id").asLong(-1));
                if (pong != null) {
                    pong.complete(message);
                }
            }
            case "event" -> {
                Consumer<JsonNode> subscriber = subscriptions.get(message.path("id").asLong(-1));
                if (subscriber != null) {
                    subscriber.accept(message.path("event"));
                }
            }
            default -> LOG.log(Level.DEBUG, "ignoring WebSocket message of type {0}", type);
        }
    }

    private static String quoted(String value) {
        try {
            return HaJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }

    private static HomeAssistantException rethrow(Throwable cause) {
        if (cause instanceof HomeAssistantException known) {
            return known;
        }
        return new HaProtocolException("WebSocket: " + cause, cause);
    }

    private final class Listener extends WebSocketListener {

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            onFrame.run();
            // Streamed, not one readTree: a large array result goes straight into its command's mapped list.
            try (JsonParser parser = HaJson.MAPPER.getFactory().createParser(text)) {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.START_ARRAY) {
                    JsonToken item;
                    while ((item = parser.nextToken()) != JsonToken.END_ARRAY && item != null) {
                        if (item == JsonToken.START_OBJECT) {
                            handle(readMessage(parser), webSocket);
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if (first == JsonToken.START_OBJECT) {
                    handle(readMessage(parser), webSocket);
                }
            } catch (IOException e) { // from a String only malformed JSON
                String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
                LOG.log(Level.WARNING, "closing WebSocket {0}: malformed frame ({1})", endpoint, why);
                webSocket.close(1002, "malformed frame");
                shutDown(new HaProtocolException("WebSocket " + endpoint + ": malformed frame (" + why + ")", e), "malformed frame");
            }
        }

        /** One message object, the parser at its START_OBJECT; a list result is mapped as it is read. */
        private JsonNode readMessage(JsonParser parser) throws IOException {
            ObjectNode message = HaJson.MAPPER.createObjectNode();
            long id = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                ListReader<?> reader = id >= 0 && "result".equals(name) ? listReaders.get(id) : null;
                if (reader != null && reader.reads(value)) {
                    message.set(name, new POJONode(reader.read(parser)));
                    continue;
                }
                EventReader eventReader = id >= 0 && "event".equals(name) && value == JsonToken.START_OBJECT ? eventReaders.get(id) : null;
                if (eventReader != null) {
                    message.set(name, new POJONode(eventReader.read(parser)));
                    continue;
                }
                JsonNode node = HaJson.MAPPER.readTree(parser);
                node = node == null ? NullNode.getInstance() : node;
                if ("id".equals(name) && node.canConvertToLong()) {
                    id = node.asLong();
                }
                message.set(name, node);
            }
            return message;
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            if (!isOpen()) {
                return; // ended by ha-diag already: its reason stands
            }
            if (code == 1000 || code == 1001) { // HA 2026.11 ends every connection so when it stops
                closeCause = LiveSignal.DisconnectCause.CLOSED_BY_HA;
            }
            webSocket.close(1000, null);
            shutDown(new HaUnreachableException("WebSocket " + endpoint + " closed by Home Assistant (" + code + " " + reason + ")", null),
                    "closed by Home Assistant (" + code + ")");
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            shutDown(new HaUnreachableException("WebSocket " + endpoint + " closed (" + code + ")", null), "closed (" + code + ")");
        }

        /** Why the connection broke, in words: a peer that goes away (HA shutting down) gives an exception without a message. */
        private static String lostReason(Throwable failure) {
            String message = failure.getMessage();
            java.util.Optional<String> tls = TlsTrust.describe(failure);
            if (tls.isPresent()) {
                return tls.get();
            }
            if (failure instanceof java.io.EOFException) {
                return "connection closed by Home Assistant without a close frame" + (message == null ? "" : " (" + message + ")");
            }
            return message == null || message.isBlank() ? failure.getClass().getSimpleName() : failure.getClass().getSimpleName() + ": " + message;
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            HomeAssistantException cause;
            if (response != null && (response.code() == 401 || response.code() == 403)) {
                cause = new HaUnauthorizedException("WebSocket " + endpoint + ": HTTP " + response.code(), failure);
            } else if (response != null && (response.code() == 502 || response.code() == 503)) {
                cause = new HaUnreachableException("WebSocket " + endpoint + ": upgrade refused with HTTP " + response.code(),
                        new DisconnectCauses.UpstreamDown(response.code()));
            } else if (response != null) {
                cause = new HaUnreachableException("WebSocket " + endpoint + ": upgrade refused with HTTP " + response.code(), failure);
            } else {
                cause = new HaUnreachableException("WebSocket " + endpoint + ": " + TlsTrust.describe(failure).orElse(String.valueOf(failure)),
                        failure);
            }
            if (!isOpen()) {
                return; // ended by ha-diag already (abandon cancels the socket): its reason and cause stand
            }
            closeCause = DisconnectCauses.of(cause);
            shutDown(cause, lostReason(failure));
        }
    }
}
