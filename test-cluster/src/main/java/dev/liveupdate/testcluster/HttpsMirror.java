package dev.liveupdate.testcluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local kernel mirror for tests (agent unit tests, the end-to-end URL-kernel test): an HTTPS server with a key pair made by the JDK's keytool at test time (its
 * certificate written as a PEM bundle for the agent's CA-bundle setting), and a plain-HTTP server beside it. Handlers
 * are per path; every request's path and Range header are recorded.
 */
public final class HttpsMirror implements AutoCloseable {
    private static final String PASS = "changeit";

    public record Request(String path, String range) {
    }

    /** The server certificate as PEM: what a client trusts as its CA bundle. */
    public final Path caBundle;
    private final HttpsServer https;
    private final HttpServer http;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();

    public HttpsMirror(Path dir) throws Exception {
        Path keystore = dir.resolve("mirror.p12");
        caBundle = dir.resolve("mirror-ca.pem");
        keytool("-genkeypair", "-alias", "mirror", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-rfc", "-alias", "mirror", "-keystore", keystore.toString(), "-storepass", PASS,
                "-file", caBundle.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASS.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        for (HttpServer s : List.of(https, http)) {
            s.createContext("/", this::dispatch);
            s.setExecutor(Executors.newCachedThreadPool());
            s.start();
        }
    }

    private static void keytool(String... args) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    public void on(String path, HttpHandler handler) {
        handlers.put(path, handler);
    }

    /** Serves {@code body} at {@code path} as a plain 200 with its length. */
    public void serve(String path, byte[] body) {
        on(path, ex -> send(ex, 200, body));
    }

    public String httpsUrl(String path) {
        return "https://localhost:" + https.getAddress().getPort() + path;
    }

    public String httpUrl(String path) {
        return "http://localhost:" + http.getAddress().getPort() + path;
    }

    public static void send(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(path, ex.getRequestHeaders().getFirst("Range")));
        HttpHandler h = handlers.get(path);
        try {
            if (h == null) {
                send(ex, 404, "not here".getBytes());
            } else {
                h.handle(ex);
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        https.stop(0);
        http.stop(0);
    }
}
