package dev.liveupdate.fleetscale;

import dev.liveupdate.testcluster.ChildProcesses;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator as its own process, configured exactly as the chart's Deployment configures its container:
 * every environment variable of the rendered Deployment (fieldRef namespace resolved), JDK_JAVA_OPTIONS included.
 * Two things a container gives and a process lacks are supplied: the memory limit the JVM sizes its heap from
 * ({@code -XX:MaxRAM=<limit>}, so the chart's {@code MaxRAMPercentage} means what it means in the pod) and a free
 * HTTP port instead of the chart's fixed one.
 */
public final class ChartOperator implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChartOperator(Process process, int httpPort, Path log, Map<String, String> env) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.env = env;
    }

    /** The operator container's environment from the installed chart objects. */
    static Map<String, String> chartEnvironment(List<HasMetadata> installed, String namespace) {
        Deployment deployment = installed.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> "operator".equals(d.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new IllegalStateException("the chart installed no operator Deployment"));
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() == null) {
                // An empty value comes back from the API server as no value at all.
                env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                    && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(e.getName(), namespace);
            } else if (e.getValueFrom().getFieldRef() != null && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(e.getName(), "fleet-scale-operator-0"); // the pod's name (the leader-election identity)
            } else {
                throw new IllegalStateException("cannot resolve the operator's env " + e.getName() + " outside a pod: " + e.getValueFrom());
            }
        }
        String limit = c.getResources() == null || c.getResources().getLimits() == null || c.getResources().getLimits().get("memory") == null
                ? null : c.getResources().getLimits().get("memory").toString();
        if (limit != null) {
            env.merge("JDK_JAVA_OPTIONS", "-XX:MaxRAM=" + jvmSize(limit), (a, b) -> a + " " + b);
        }
        return env;
    }

    /** "512Mi" -> "512m" (the JVM's units). */
    static String jvmSize(String quantity) {
        String q = quantity.trim();
        if (q.endsWith("Mi")) {
            return q.substring(0, q.length() - 2) + "m";
        }
        if (q.endsWith("Gi")) {
            return q.substring(0, q.length() - 2) + "g";
        }
        throw new IllegalArgumentException("unsupported memory limit " + quantity + " (expected Mi or Gi)");
    }

    public static ChartOperator start(Path jar, Path kubeconfig, Map<String, String> chartEnv, Path dir) {
        try {
            Files.createDirectories(dir);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Map<String, String> env = new LinkedHashMap<>(chartEnv);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("KUBECONFIG", kubeconfig.toString());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
            Path log = dir.resolve("operator.log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            return new ChartOperator(ChildProcesses.start(pb), port, log, env);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the operator " + jar, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public Map<String, String> env() {
        return env;
    }

    /** GET /q/{path} on the operator's HTTP port; null when it does not answer 200. */
    public String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/" + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
