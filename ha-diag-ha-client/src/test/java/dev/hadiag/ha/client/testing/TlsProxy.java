package dev.hadiag.ha.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * Terminates TLS on a loopback port and passes the bytes on to a plain-HTTP Home Assistant, as a reverse proxy with
 * HA's certificate would: REST and the WebSocket upgrade alike. Daemon threads; {@link #close()} ends them.
 */
public final class TlsProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    private TlsProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on 127.0.0.1 (an ephemeral port) with {@code tls}'s certificate, forwarding to {@code haUrl}'s host and port. */
    public static TlsProxy start(SSLContext tls, String haUrl) throws IOException {
        URI ha = URI.create(haUrl);
        ServerSocket server = tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TlsProxy proxy = new TlsProxy(server, new InetSocketAddress(ha.getHost(), ha.getPort()));
        Thread acceptor = new Thread(proxy::accept, "tls-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** {@code https://127.0.0.1:<port>}: what the client is given as HA's URL. */
    public String url() {
        return "https://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closing) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                continue; // one connection failed: keep accepting
            }
            Socket upstream = new Socket();
            open.add(client);
            open.add(upstream);
            try {
                upstream.connect(target, 5_000);
                pump(client, upstream, "tls-proxy-up");
                pump(upstream, client, "tls-proxy-down");
            } catch (IOException e) {
                closeQuietly(client); // HA is not there: as a proxy that cannot reach it, drop the connection
                closeQuietly(upstream);
            }
        }
    }

    /** Copies until either side ends, then closes both: a client that rejects the certificate ends it at once. */
    private void pump(Socket from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the handshake was refused, or a side went away: closed below either way
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::closeQuietly);
    }
}
