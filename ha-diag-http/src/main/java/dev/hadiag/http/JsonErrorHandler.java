package dev.hadiag.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors as JSON. Requests Jetty rejects before they reach a route (a {@code %00} or
 * {@code ../} in the path, headers over the limit, a request line that is not HTTP) would otherwise get
 * its HTML page, and the API promises JSON for every answer.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
    /**
     * Jetty drops the connection after a request it could not parse. Saying so keeps a pooling client (the
     * JDK's HttpClient) from sending its next request down the dead connection.
     */
    private static final HttpField CLOSE = new HttpField(HttpHeader.CONNECTION, "close");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(CLOSE);
        response.write(true, body(code, message), callback);
    }

    /** The answer to a request so broken that Jetty never built a request object for it. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON_TYPE);
        fields.put(CLOSE);
        return body(status, reason);
    }

    static ByteBuffer body(int code, String message) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        // Jetty's reasons are fixed phrases ("Ambiguous URI path encoding"); the cap keeps any echo short.
        String text = "HTTP " + code + ": " + (reason.length() > 120 ? reason.substring(0, 120) : reason);
        return ByteBuffer.wrap(("{\"error\":" + quote(text) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
