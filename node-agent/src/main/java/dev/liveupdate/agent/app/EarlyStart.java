package dev.liveupdate.agent.app;

import dev.liveupdate.agent.config.AgentConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's entry point: the restore first, then Quarkus. After a kexec the workloads' memory is unreachable until
 * they have their files back, so before Quarkus, CDI, the HTTP server and the Kubernetes client start (over a second
 * of a DaemonSet's CPU), this opens /dev/liveupdate, retrieves the sessions and serves the workload socket
 * ({@link LocalStart#startBeforeApi}). {@link AgentLifecycle} takes the running parts over and connects the API server.
 * Anything that fails here is left to {@link AgentLifecycle}, which starts whatever is not running yet.
 */
@QuarkusMain
public final class EarlyStart {
    private static final Logger LOG = Logger.getLogger(EarlyStart.class.getName());
    private static final AtomicReference<Started> STARTED = new AtomicReference<>();

    /** What ran before Quarkus, and the registry its meters live in until Quarkus' registry joins. */
    record Started(LocalStart local, CompositeMeterRegistry registry) {
    }

    private EarlyStart() {
    }

    public static void main(String... args) {
        start();
        Quarkus.run(args);
    }

    static void start() {
        CompositeMeterRegistry registry = new CompositeMeterRegistry();
        LocalStart local;
        try {
            local = new LocalStart(config(Map.of()), registry, version(), new BlackoutMarks());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the early start could not be set up; the agent starts after Quarkus instead", e);
            return;
        }
        STARTED.set(new Started(local, registry));
        try {
            if (local.startBeforeApi()) {
                LOG.info(() -> "restore first: device open, sessions retrieved, socket serving after " + BlackoutMarks.uptimeMillis()
                        + " ms since the process started; now the API server");
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the early start failed; the agent retries it after Quarkus started", e);
        }
    }

    /** What ran before Quarkus (once), or null when nothing did (tests, dev mode, a failed set-up). */
    static Started take() {
        return STARTED.getAndSet(null);
    }

    /** The agent's version as Quarkus reports it (quarkus.application.version is the project version): from the jar's Maven metadata. */
    private static String version() {
        try (var in = EarlyStart.class.getClassLoader().getResourceAsStream("META-INF/maven/dev.liveupdate/liveupdate-node-agent/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "no Maven metadata in the agent's jar", e);
        }
        return "dev";
    }

    /**
     * The agent's configuration without Quarkus: system properties, environment and application.properties, as Quarkus
     * reads them; {@code overrides} above all of them (tests).
     */
    static AgentConfig config(Map<String, String> overrides) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withConverter(Duration.class, 200, new DurationConverter()) // "1s", "10m" as Quarkus reads them
                .withMapping(AgentConfig.class)
                .withValidateUnknown(false);
        URL properties = EarlyStart.class.getClassLoader().getResource("application.properties");
        if (properties != null) {
            try {
                builder.withSources(new PropertiesConfigSource(properties, 250));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + properties, e);
            }
        }
        if (!overrides.isEmpty()) {
            builder.withSources(new PropertiesConfigSource(overrides, "overrides", 1000));
        }
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(AgentConfig.class);
    }
}
