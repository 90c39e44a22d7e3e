package dev.hadiag.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** HTTP/1.1 over a plain socket, for requests no well-behaved client would send; loopback only. */
final class RawHttp {

    record Answer(int status, String headers, String body) {

        Optional<String> header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }

        String contentType() {
            return header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} as is from {@code source} (a loopback address) and reads the answer until the server closes. */
    static Answer send(String source, int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException serverStoppedReading) {
                // Jetty answers an oversized request before reading all of it and may close early: read what it said.
            }
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
            }
            int status = Integer.parseInt(text.substring(9, 12));
            Answer head = new Answer(status, text.substring(0, end), "");
            String body = text.substring(end + 4);
            if (head.header("Transfer-Encoding").filter(v -> v.equalsIgnoreCase("chunked")).isPresent()) {
                body = dechunk(body);
            }
            return new Answer(status, head.headers(), new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    static Answer send(int port, String request) throws IOException {
        return send("127.0.0.1", port, request.getBytes(StandardCharsets.ISO_8859_1));
    }
}
