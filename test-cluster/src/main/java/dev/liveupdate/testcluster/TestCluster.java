package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and (optionally) kube-controller-manager as
 * child processes on loopback with free ports and a temporary work directory. No kubelet, no scheduler: Nodes and
 * Pods are API objects only (see {@link FakeNodes}, {@link AgentIdentities}).
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.builder().withCrds(RepoLayout.locate().crdDir()).start()) {
 *     KubernetesClient admin = cluster.client();
 *     ...
 * }
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {
    /** Set to true to keep the work directory (logs, certificates, etcd data) after close. */
    public static final String KEEP_PROPERTY = "liveupdate.testcluster.keep";

    private final Path workDir;
    private final ControlPlaneBinaries binaries;
    private final ClusterPki pki;
    private final List<ManagedProcess> processes;
    private final String apiServerUrl;
    private final Path kubeconfig;
    private final KubernetesClient admin;
    private final Duration startupTime;
    private final String nodeAddress;
    private final List<KubernetesClient> extraClients = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private TestCluster(Path workDir, ControlPlaneBinaries binaries, ClusterPki pki, List<ManagedProcess> processes,
                        String apiServerUrl, Path kubeconfig, KubernetesClient admin, Duration startupTime,
                        String nodeAddress) {
        this.nodeAddress = nodeAddress;
        this.workDir = workDir;
        this.binaries = binaries;
        this.pki = pki;
        this.processes = processes;
        this.apiServerUrl = apiServerUrl;
        this.kubeconfig = kubeconfig;
        this.admin = admin;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(this::close, "test-cluster-shutdown");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A cluster-admin client (client certificate in group system:masters). Closed with the cluster. */
    public KubernetesClient client() {
        return admin;
    }

    /** A client that authenticates with a bearer token only (e.g. a pod-bound service-account token). Closed with the cluster. */
    public KubernetesClient clientForToken(String token) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(apiServerUrl)
                .withCaCertFile(pki.caCertFile().toString())
                .withOauthToken(token)
                .withNamespace("default")
                .build();
        KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
        extraClients.add(c);
        return c;
    }

    /** The kubeconfig file (cluster-admin, certificates embedded), for kubectl, helm or processes under test. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * Writes a kubeconfig that authenticates with {@code token} (e.g. {@link AgentIdentity#token()}) into the work
     * directory, for an operator or agent started as a separate process (KUBECONFIG=...). {@code name} names the file.
     */
    public Path kubeconfigForToken(String name, String token) {
        return Kubeconfig.writeForToken(workDir.resolve("kubeconfigs").resolve(name + ".kubeconfig"), apiServerUrl,
                pki.caCertFile(), name, token);
    }

    /** e.g. https://127.0.0.1:43125 */
    public String apiServerUrl() {
        return apiServerUrl;
    }

    /** The CA that signed the API server's certificate (PEM). */
    public Path caCertFile() {
        return pki.caCertFile();
    }

    /** Logs (logs/*.log), certificates (pki/), etcd data. Deleted on close unless -Dliveupdate.testcluster.keep=true. */
    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return workDir.resolve("logs");
    }

    /** Wall time from the start of certificate generation until the last component was healthy. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The host address given to {@link Builder#withNodeAddress}, or null. */
    public String nodeAddress() {
        return nodeAddress;
    }

    ClusterPki pki() {
        return pki;
    }

    public ControlPlaneBinaries binaries() {
        return binaries;
    }

    public FakeNodes nodes() {
        return new FakeNodes(admin);
    }

    public AgentIdentities agents() {
        return new AgentIdentities(admin);
    }

    public ManifestApplier manifests() {
        return new ManifestApplier(admin);
    }

    public HelmCli helm() {
        return new HelmCli(binaries.helm(), workDir.resolve("helm-home"));
    }

    /** Stops every process (process trees, TERM then KILL) and removes the work directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        extraClients.forEach(KubernetesClient::close);
        admin.close();
        stopAll(processes);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the hook
        }
        if (!Boolean.getBoolean(KEEP_PROPERTY)) {
            deleteRecursively(workDir);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The control-plane processes in start order (etcd, kube-apiserver, kube-controller-manager): pids, logs, liveness. */
    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    private static void stopAll(List<ManagedProcess> processes) {
        // Reverse start order: controller-manager, then apiserver, then etcd.
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).close();
            } catch (Exception e) {
                System.err.println("test-cluster: stopping " + processes.get(i) + " failed: " + e);
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("test-cluster: cannot delete " + dir + ": " + e);
        }
    }

    /** Options for {@link TestCluster}. */
    public static final class Builder {
        private Path crdDir;
        private boolean controllerManager = true;
        private List<String> controllers = KubeControllerManager.DEFAULT_CONTROLLERS;
        private List<String> apiServerArgs = List.of();
        private Duration startupTimeout = Duration.ofMinutes(3);
        private Path workDir;
        private String nodeAddress;

        private Builder() {
        }

        /**
         * Installs the CRDs in {@code dir} (every *.yaml) and waits until they are Established, before the
         * controller-manager starts, so its garbage collector watches them from the start (it rediscovers
         * resources only every 30 s).
         */
        public Builder withCrds(Path dir) {
            this.crdDir = dir;
            return this;
        }

        /** The repository's crds/ directory. */
        public Builder withRepoCrds() {
            return withCrds(RepoLayout.locate().crdDir());
        }

        /** Whether to run kube-controller-manager (default true; needed for garbage collection). */
        public Builder withControllerManager(boolean on) {
            this.controllerManager = on;
            return this;
        }

        /** Controller names for --controllers (default {@link KubeControllerManager#DEFAULT_CONTROLLERS}). */
        public Builder withControllers(List<String> names) {
            this.controllers = List.copyOf(names);
            return this;
        }

        /** Extra kube-apiserver flags, e.g. "--feature-gates=...". */
        public Builder withApiServerArgs(List<String> args) {
            this.apiServerArgs = List.copyOf(args);
            return this;
        }

        /** How long each component may take to become healthy (default 3 min: 2 shared cores under a parallel build). */
        public Builder withStartupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * For a real node ({@link RealNode}): the API server also listens on this host address (in its certificate)
         * and advertises it, so pods reach it through the {@code kubernetes} Service. Default: loopback only.
         */
        public Builder withNodeAddress(String hostAddress) {
            this.nodeAddress = Objects.requireNonNull(hostAddress);
            return this;
        }

        /** Use this directory instead of a fresh temporary one. */
        public Builder withWorkDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Starts the control plane; on failure everything started so far is stopped and the logs are kept. */
        public TestCluster start() {
            ControlPlaneBinaries binaries = ControlPlaneBinaries.locate();
            long t0 = System.nanoTime();
            Path dir;
            try {
                dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("liveupdate-test-cluster-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<ManagedProcess> started = new ArrayList<>();
            KubernetesClient admin = null;
            try {
                ClusterPki pki = ClusterPki.generate(dir.resolve("pki"), nodeAddress == null ? List.of() : List.of(nodeAddress));
                EtcdServer etcd = EtcdServer.start(binaries, dir, startupTimeout);
                started.add(etcd.process());
                KubeApiServer apiServer = KubeApiServer.start(binaries, dir, pki, etcd, apiServerArgs, nodeAddress,
                        startupTimeout);
                started.add(apiServer.process());
                Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), apiServer.url(), pki);
                admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
                if (crdDir != null) {
                    new ManifestApplier(admin).apply(crdDir);
                }
                if (controllerManager) {
                    started.add(KubeControllerManager.start(binaries, dir, pki, kubeconfig, controllers, startupTimeout).process());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                TestCluster cluster = new TestCluster(dir, binaries, pki, started, apiServer.url(), kubeconfig, admin, took,
                        nodeAddress);
                Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
                return cluster;
            } catch (RuntimeException e) {
                if (admin != null) {
                    admin.close();
                }
                stopAll(started);
                throw new IllegalStateException("test cluster failed to start (logs kept in " + dir.resolve("logs") + "): "
                        + e.getMessage(), e);
            }
        }
    }
}
