package dev.liveupdate.fleetscale;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.testcluster.AgentIdentity;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fleet's nodes and virtual agents. Agents share one Vert.x event loop and one task executor (a process each
 * would have its own): what is under test is the API traffic, which is each agent's own, through its own client and
 * token.
 */
final class VirtualFleet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VirtualFleet.class.getName());
    static final String NAMESPACE = "liveupdate-system";
    static final String INITIAL_RELEASE = "7.2.0-fleet";

    private final TestCluster cluster;
    private final FleetScaleOptions options;
    private final Path kernelDir;
    private final Consumer<String> progress;
    private final Map<String, VirtualNode> nodes = new LinkedHashMap<>();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    private final VertxHttpClientFactory httpClients = new VertxHttpClientFactory(vertx);
    private final ExecutorService tasks = Executors.newCachedThreadPool(daemon("agent-task"));
    private final ScheduledExecutorService reboots = Executors.newScheduledThreadPool(16, daemon("kexec"));
    private final AtomicInteger rebootFailures = new AtomicInteger();

    VirtualFleet(TestCluster cluster, FleetScaleOptions options, Path kernelDir, Consumer<String> progress) {
        this.cluster = cluster;
        this.options = options;
        this.kernelDir = kernelDir;
        this.progress = progress;
    }

    /** Nodes (Ready through kwok), machines, identities; then every agent started, at most 8 at a time. */
    void start(String agentAccount) throws Exception {
        ExecutorService setup = Executors.newFixedThreadPool(8, daemon("fleet-setup"));
        try {
            List<Future<VirtualNode>> made = new ArrayList<>();
            for (int i = 0; i < options.nodes(); i++) {
                int index = i;
                made.add(setup.submit(() -> createNode(index, agentAccount)));
            }
            for (Future<VirtualNode> f : made) {
                VirtualNode n = f.get();
                nodes.put(n.name(), n);
            }
            progress.accept("created " + nodes.size() + " Nodes, machines and pod-bound agent tokens");
            List<Future<?>> booted = new ArrayList<>();
            for (VirtualNode n : nodes.values()) {
                booted.add(setup.submit(() -> {
                    n.boot();
                    return null;
                }));
            }
            for (Future<?> f : booted) {
                f.get();
            }
        } finally {
            setup.shutdownNow();
        }
    }

    private VirtualNode createNode(int index, String agentAccount) throws Exception {
        String name = FleetScaleOptions.nodeName(index);
        Generation generation = index % 2 == 0 ? Generation.B : Generation.A;
        Path dir = Files.createDirectories(options.workDir().resolve("nodes").resolve(name));
        VirtualNode.Fault fault = options.fails(index) || options.lacksKernel(index) ? VirtualNode.Fault.FAIL
                : options.stalls(index) ? VirtualNode.Fault.STALL : VirtualNode.Fault.NONE;
        AgentIdentity identity = cluster.agents().create(NAMESPACE, agentAccount, name);
        VirtualNode node = new VirtualNode(name, generation, dir, kernelDir, fault, options.prepare(), () -> clientFor(identity.token()), this);
        HostInfo host = SimulatedKernel.builder(node.machineDir(), generation).initialRelease(INITIAL_RELEASE).build().hostInfo();
        // Registered with its status, as a kubelet registers a Node; kwok then marks it Ready and keeps it so.
        Node created = new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels(Kwok.LABEL, "true")
                .addToAnnotations("kwok.x-k8s.io/node", "fake").endMetadata()
                .withNewStatus().withNewNodeInfo().withBootID(host.bootId()).withKernelVersion(host.kernelRelease())
                .withOperatingSystem("linux").withArchitecture("amd64").withKubeletVersion("kwok").endNodeInfo().endStatus()
                .build();
        cluster.client().nodes().resource(created).create();
        return node;
    }

    private KubernetesClient clientFor(String token) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.apiServerUrl())
                .withCaCertFile(cluster.caCertFile().toString())
                .withOauthToken(token)
                .withNamespace(NAMESPACE)
                .build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClients).withTaskExecutor(tasks).build();
    }

    /** The dark time of a kexec, then the kubelet's part: the new boot ID on the Node, the agent started again. */
    void rebootLater(VirtualNode node, VirtualAgent ending) {
        reboots.execute(ending::close);
        reboots.schedule(() -> {
            try {
                HostInfo host = SimulatedKernel.builder(node.machineDir(), node.generation()).build().hostInfo();
                setBootId(node.name(), host.bootId(), host.kernelRelease());
                node.boot();
            } catch (Exception | Error e) {
                rebootFailures.incrementAndGet();
                LOG.log(Level.SEVERE, node.name() + ": the new boot failed to start its agent", e);
            }
        }, options.kexecRestore().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void setBootId(String name, String bootId, String release) {
        for (int attempt = 1; ; attempt++) {
            try {
                cluster.client().nodes().withName(name).editStatus(n -> {
                    n.getStatus().getNodeInfo().setBootID(bootId);
                    n.getStatus().getNodeInfo().setKernelVersion(release);
                    return n;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    Map<String, VirtualNode> nodes() {
        return nodes;
    }

    int rebootFailures() {
        return rebootFailures.get();
    }

    long watching() {
        return nodes.values().stream().filter(n -> n.stalls() || (n.agent() != null && n.agent().watching())).count();
    }

    @Override
    public void close() {
        reboots.shutdownNow();
        nodes.values().forEach(n -> {
            VirtualAgent a = n.agent();
            if (a != null) {
                try {
                    a.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "closing " + n.name(), e);
                }
            }
        });
        tasks.shutdownNow();
        vertx.close();
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
