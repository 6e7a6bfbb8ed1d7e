package dev.liveupdate.testcluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** GETs a health endpoint (etcd /health, kube-apiserver /readyz, controller-manager /healthz) and reports whether it is ok. */
final class HealthProbe {
    private final HttpClient http;

    HealthProbe(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /** The body when the endpoint answers 200 and the body contains {@code expected}; otherwise throws with what it got. */
    Optional<String> check(URI uri, String expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(expected)) {
            return Optional.of(r.body());
        }
        throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + abbreviate(r.body()));
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
