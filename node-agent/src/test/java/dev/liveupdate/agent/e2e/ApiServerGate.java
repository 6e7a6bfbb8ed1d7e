package dev.liveupdate.agent.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port that stands for the API server: closed to traffic until {@link #open}, then a plain forwarder to the real
 * one. While shut, connections only wait in the listen backlog (nothing answers the TLS handshake), as with an API
 * server that is not reachable yet; the port is bound from the start, so no other process can take it meanwhile.
 */
final class ApiServerGate implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ApiServerGate() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on every connection (those waiting too) is forwarded to {@code target}. */
    void open(InetSocketAddress target) {
        Thread acceptor = new Thread(() -> {
            while (!closed) {
                try {
                    Socket in = listener.accept();
                    Socket out = new Socket(target.getAddress(), target.getPort());
                    open.add(in);
                    open.add(out);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }, "api-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // One side closed: the other side's pump ends on its own.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "api-gate-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        open.forEach(ApiServerGate::closeQuietly);
    }
}
