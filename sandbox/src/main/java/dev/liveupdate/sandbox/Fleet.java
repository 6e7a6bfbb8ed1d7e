package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.testcluster.AgentIdentity;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A whole live-update fleet on one machine: the real API server (etcd, kube-apiserver, kube-controller-manager), the
 * chart's CRDs, RBAC and admission policy, N Node objects, the operator replicas (a leader and standbys), and per node an agent process with a
 * simulated kernel and a sample workload. The sandbox CLI and the end-to-end suite both drive it.
 */
public final class Fleet implements AutoCloseable {
    public static final String RELEASE = "liveupdate-operator";

    private final FleetOptions options;
    private final FleetLayout layout;
    private final Consumer<String> progress;
    private final Map<String, SimulatedNode> nodes = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-supervisor");
        t.setDaemon(true);
        return t;
    });
    private TestCluster cluster;
    private String operatorAccount;
    private String agentAccount;
    private OperatorReplicas operators;
    private LeaseHistory lease;
    private final List<OperatorKiller> operatorKillers = new ArrayList<>();
    private RolloutTimeline timeline;
    private volatile boolean closed;

    public Fleet(FleetOptions options, FleetLayout layout, Consumer<String> progress) {
        this.options = options;
        this.layout = layout.verified();
        this.progress = progress;
    }

    public Fleet start() throws IOException {
        prepareWorkDir(options.workDir());
        progress.accept("starting the control plane (etcd, kube-apiserver, kube-controller-manager)");
        cluster = TestCluster.builder().withWorkDir(options.workDir().resolve("cluster")).withControllerManager(true).start();
        progress.accept("control plane ready in " + cluster.startupTime().toMillis() + " ms at " + cluster.apiServerUrl());
        progress.accept("installing the chart's CRDs, RBAC and agent admission policy");
        List<HasMetadata> installed = new ChartInstaller(cluster).install(RELEASE, FleetOptions.NAMESPACE,
                chartValues());
        operatorAccount = serviceAccountOf(installed, "operator");
        agentAccount = serviceAccountOf(installed, "agent");
        for (int i = 0; i < options.nodes(); i++) {
            addNode(FleetOptions.nodeName(i), Generation.valueOf(options.generationOf(i)));
        }
        timeline = new RolloutTimeline(cluster.client(), nodes.keySet());
        startOperator();
        for (SimulatedNode node : nodes.values()) {
            node.startAgent();
        }
        progress.accept("started " + nodes.size() + " agents (ABI " + options.abi() + "); each workload starts once its agent's socket is up");
        supervisor.scheduleWithFixedDelay(this::superviseQuietly, 200, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    private Map<String, String> chartValues() {
        Map<String, String> values = new java.util.HashMap<>(Map.of("agent.rebootStrategy", "simulated",
                "operator.leaderElection.enabled", String.valueOf(options.operators() > 1),
                "agent.kernelDirs", "{" + FleetOptions.KERNEL_DIR + "}"));
        values.putAll(options.chartValues());
        return values;
    }

    /** The chart's ServiceAccount for a component, so the processes run with exactly the chart's RBAC. */
    private static String serviceAccountOf(List<HasMetadata> installed, String component) {
        return installed.stream()
                .filter(o -> o instanceof ServiceAccount)
                .filter(o -> component.equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .map(o -> o.getMetadata().getName())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart installed no ServiceAccount for the " + component));
    }

    /** A fleet starts from nothing: a previous sandbox's directory is wiped, anything else is refused. */
    static void prepareWorkDir(Path dir) throws IOException {
        Path marker = dir.resolve(".liveupdate-sandbox");
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (var entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(marker)) {
                throw new IllegalStateException("work dir " + dir + " is not empty and was not made by the sandbox; "
                        + "give an empty or new directory with --work-dir");
            }
            if (!empty) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(marker, "state and logs of a liveupdate-operator sandbox fleet; wiped when the next fleet starts here\n");
    }

    private void addNode(String name, Generation generation) throws IOException {
        Path dir = options.workDir().resolve("nodes").resolve(name);
        boolean prepareFails = options.faults().stream().anyMatch(f -> f.targets(Fault.Kind.PREPARE_FAIL, name));
        AgentIdentity identity = cluster.agents().create(FleetOptions.NAMESPACE, agentAccount, name);
        Path kubeconfig = cluster.kubeconfigForToken("agent-" + name, identity.token());
        SimulatedNode node = new SimulatedNode(name, generation, dir, layout, kubeconfig);
        node.agentSettings(options.agentSettings());
        HostInfo host = node.coldBoot(!prepareFails);
        cluster.nodes().create(name, Map.of(FleetOptions.POOL_LABEL, FleetOptions.POOL, "liveupdate.dev/sandbox-abi", generation.name()),
                host.bootId());
        cluster.nodes().setBootId(name, host.bootId(), host.kernelRelease());
        options.faults().stream().filter(f -> f.targets(Fault.Kind.KILL_AGENT, name))
                .findFirst().ifPresent(f -> node.armHaltAfter(f.phase()));
        if (options.faults().stream().anyMatch(f -> f.targets(Fault.Kind.NO_RECLAIM, name))) {
            node.holdBackWorkloadAfterKexec();
        }
        if (options.faults().stream().anyMatch(f -> f.targets(Fault.Kind.FREEZE_NO_ACK, name))) {
            node.neverAckFreeze();
        }
        nodes.put(name, node);
    }

    private void startOperator() throws IOException {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24L * 3600).endSpec().build();
        String token = cluster.client().serviceAccounts().inNamespace(FleetOptions.NAMESPACE).withName(operatorAccount)
                .tokenRequest(request).getStatus().getToken();
        Path kubeconfig = cluster.kubeconfigForToken("operator", token);
        if (options.operators() > 1) {
            lease = new LeaseHistory(cluster.client(), FleetOptions.NAMESPACE, OperatorReplicas.LEASE);
        }
        operators = new OperatorReplicas(options.operators(), layout.operatorJar(), options.workDir().resolve("operator"),
                kubeconfig, progress, this::event);
        operators.startAll();
        for (Fault f : options.faults()) {
            if (f.kind() == Fault.Kind.KILL_OPERATOR) {
                operatorKillers.add(new OperatorKiller(cluster.client(), f, operators, lease, this::event));
            }
        }
        if (options.operators() > 1) {
            progress.accept(options.operators() + " operator replicas elect a leader on Lease " + FleetOptions.NAMESPACE
                    + "/" + OperatorReplicas.LEASE + " (lease " + OperatorReplicas.LEASE_DURATION.toSeconds() + "s, renew deadline "
                    + OperatorReplicas.RENEW_DEADLINE.toSeconds() + "s, retry " + OperatorReplicas.RETRY_PERIOD.toSeconds() + "s)");
        }
    }

    /**
     * Waits until every node's workload preserved its memory (or ended), as a cluster's workloads run before anyone
     * applies a plan: on a loaded machine an agent can take seconds to open its socket, and a plan applied earlier
     * reaches nodes whose workload has not handed its memfd over yet. Returns the nodes still waiting at the timeout.
     */
    public List<String> awaitWorkloadsPreserved(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> waiting = nodes.values().stream()
                    .filter(n -> n.workloadState() == WorkloadState.STARTING && (n.workload() == null || n.workload().isAlive()))
                    .map(SimulatedNode::name).toList();
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                return waiting;
            }
            TimeUnit.MILLISECONDS.sleep(100); // polls the workloads' logs, as the display does
        }
    }

    /** Applies a LiveUpdate from a YAML file as the cluster admin would with kubectl. */
    public LiveUpdate applyPlan(Path yaml) {
        return applyPlan(readPlan(yaml));
    }

    /** A LiveUpdate from a YAML file. */
    public static LiveUpdate readPlan(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            return Serialization.unmarshal(in, LiveUpdate.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plan " + yaml, e);
        }
    }

    /** Applies (server-side) a LiveUpdate as the cluster admin. */
    public LiveUpdate applyPlan(LiveUpdate plan) {
        plan.getMetadata().setManagedFields(null);
        plan.getMetadata().setResourceVersion(null);
        return client().resource(plan).fieldManager("sandbox").forceConflicts().serverSideApply();
    }

    /** Availability and boots of every node as the API server saw them since the fleet started. */
    public RolloutTimeline timeline() {
        return timeline;
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (RuntimeException | IOException e) {
            if (!closed) {
                event("supervisor: " + e.getMessage());
            }
        }
    }

    /** Plays the kernel and the kubelet for every node; injects the configured faults. */
    private void supervise() throws IOException {
        if (closed) {
            return;
        }
        operators.restartExited();
        for (SimulatedNode node : nodes.values()) {
            if (node.agent() != null && !node.agent().isAlive()) {
                int exit = node.agent().exitCode();
                java.util.Optional<String> injectedHalt = node.takeInjectedHalt();
                boolean rebooted = node.onAgentExit();
                if (rebooted) {
                    HostInfo host = node.machine();
                    cluster.nodes().setBootId(node.name(), host.bootId(), host.kernelRelease());
                    event(node.name() + ": kexec into " + host.kernelRelease() + " (boot " + node.boots() + "); "
                            + (node.noReclaim() ? "agent restarted; workload not restarted (fault no-reclaim: nobody takes its memfd back)"
                                    : "agent and workload restarted"));
                } else {
                    injectedHalt.filter(phase -> exit == 137).ifPresent(phase ->
                            event(node.name() + ": fault injected: agent killed at phase " + phase));
                    event(node.name() + ": agent exited (" + exit + "), restarted like a kubelet would; see " + node.agent().log());
                }
            }
            if (node.workload() == null && Files.exists(node.socket())) {
                node.startWorkload(false);
            }
        }
    }

    private synchronized void event(String text) {
        events.add(text);
        progress.accept(text);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public KubernetesClient client() {
        return cluster.client();
    }

    public TestCluster cluster() {
        return cluster;
    }

    public Map<String, SimulatedNode> nodes() {
        return nodes;
    }

    /** The operator replicas' processes as they run now (a restarted replica is a new process). */
    public List<ManagedProcess> operators() {
        return operators == null ? List.of() : operators.replicas().stream().map(OperatorReplicas.Replica::process).toList();
    }

    /** Who held the leader Lease when; null with a single operator (no leader election). */
    public LeaseHistory leaseHistory() {
        return lease;
    }

    public FleetOptions options() {
        return options;
    }

    @Override
    public void close() {
        closed = true;
        supervisor.shutdownNow();
        if (timeline != null) {
            timeline.close();
        }
        operatorKillers.forEach(OperatorKiller::close);
        if (lease != null) {
            lease.close();
        }
        Duration grace = Duration.ofSeconds(5);
        nodes.values().forEach(n -> n.stop(grace));
        if (operators != null) {
            operators.stop(grace);
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
