package dev.liveupdate.sandbox.realnode;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.testcluster.ProjectImages;
import dev.liveupdate.testcluster.RealNode;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The product as a platform team runs it, on one real node of this machine: the project's images in containerd, the
 * chart installed with helm (operator Deployment, agent DaemonSet), workloads as pods. The agent's kernel is the
 * simulator (chart value agent.rebootStrategy=simulated): its kexec ends the agent container and the kubelet restarts
 * it. Shared by the sandbox's --real-node mode and the e2e suite's real-node tests.
 */
public final class RealNodeFleet implements AutoCloseable {
    public static final String NAMESPACE = "liveupdate-system";
    public static final String RELEASE = "liveupdate";
    public static final String NODE = "real-node";
    /** The chart's agent seccomp profile, relative to the kubelet's seccomp directory. */
    public static final String SECCOMP_PROFILE = "liveupdate/agent-v1.json";
    public static final String SESSION = "vm-memory";
    public static final String WORKLOAD_NAMESPACE = "default";
    /** What the simulated machine boots first: older than both kernels below, so plans move the node forward. */
    public static final String INITIAL_RELEASE = "7.1.0-sandbox";
    /** The releases of the two simulated kernels in the node's kernel directory. */
    public static final String KERNEL_RELEASE = "7.2.0-sandbox";
    public static final String NEXT_KERNEL_RELEASE = "7.3.0-sandbox";

    private final Path repo;
    private final ProjectImages images;
    private final TestCluster cluster;
    private final RealNode node;
    private final Path kernelDir;
    private final Path socketDir;
    private final Path stateDir;

    private RealNodeFleet(Path repo, ProjectImages images, TestCluster cluster, RealNode node) {
        this.repo = repo;
        this.images = images;
        this.cluster = cluster;
        this.node = node;
        this.kernelDir = node.hostDir("kernels");
        this.socketDir = node.hostDir("socket");
        this.stateDir = node.hostDir("state");
    }

    /** Builds (or reuses) the images, starts the control plane and the node, writes the node's two kernels. */
    public static RealNodeFleet start(Path repo, Path workDir, Consumer<String> progress) {
        progress.accept("building the images (hack/build-images.sh; cached after the first run)");
        ProjectImages images = ProjectImages.build(repo);
        progress.accept("starting the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)");
        TestCluster.Builder b = TestCluster.builder().withNodeAddress(RealNode.hostAddress()).withControllers(RealNode.CONTROLLERS);
        if (workDir != null) {
            b.withWorkDir(workDir.resolve("cluster"));
        }
        TestCluster cluster = b.start();
        try {
            progress.accept("starting the node: containerd, kubelet, kube-proxy; importing " + images.archives().size() + " images");
            RealNode.Options options = RealNode.options().name(NODE).sandboxImage(images.reference("pause"));
            images.archives().forEach(options::image);
            RealNode node = RealNode.start(cluster, options);
            RealNodeFleet fleet = new RealNodeFleet(repo, images, cluster, node);
            SimulatedKernel.writeImage(fleet.kernelDir.resolve("vmlinuz-" + KERNEL_RELEASE), KERNEL_RELEASE);
            SimulatedKernel.writeImage(fleet.kernelDir.resolve("vmlinuz-" + NEXT_KERNEL_RELEASE), NEXT_KERNEL_RELEASE);
            progress.accept("node " + NODE + " Ready");
            return fleet;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * helm install --wait with the values a node with the simulated kernel needs: the agent's host directories
     * inside the node's work directory, boot identity from the agent (the kubelet reports the host's real boot ID,
     * which a simulated kexec does not change), the device plugin pointed at this kubelet's root directory.
     */
    public String installChart(Map<String, String> extraValues) {
        List<String> args = new ArrayList<>(List.of("install", RELEASE, chart(), "--namespace", NAMESPACE,
                "--create-namespace", "--wait", "--timeout", "5m"));
        sets(args, baseValues());
        sets(args, extraValues);
        return helm(args);
    }

    /** helm upgrade --reuse-values --wait with these values. */
    public String upgradeChart(Map<String, String> values) {
        List<String> args = new ArrayList<>(List.of("upgrade", RELEASE, chart(), "--namespace", NAMESPACE,
                "--reuse-values", "--wait", "--timeout", "5m"));
        sets(args, values);
        return helm(args);
    }

    public String uninstallChart() {
        return helm(new ArrayList<>(List.of("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait", "--timeout", "3m")));
    }

    public Map<String, String> baseValues() {
        return Map.ofEntries(
                Map.entry("operator.bootIdentity", "agent"),
                Map.entry("agent.rebootStrategy", "simulated"),
                Map.entry("agent.simulator.initialRelease", INITIAL_RELEASE),
                Map.entry("agent.stateDir", stateDir.toString()),
                Map.entry("agent.socket.hostDir", socketDir.toString()),
                Map.entry("agent.kernelDirs", "{" + kernelDir + "}"),
                Map.entry("devicePlugin.kubeletDir", node.kubeletRootDir().toString()),
                Map.entry("agent.socket.kubeletPodsDir", node.kubeletRootDir().resolve("pods").toString()),
                // The simulated agent runs under the seccomp profile a direct agent gets, so the JVM's and the agent's
                // syscalls are exercised under it on a real runtime.
                Map.entry("agent.seccompProfile.type", "Localhost"),
                Map.entry("agent.seccompProfile.localhostProfile", SECCOMP_PROFILE),
                Map.entry("agent.seccomp.kubeletDir", node.kubeletRootDir().toString()));
    }

    /** Starts the sample workload pod: preserves 1 MiB in session vm-memory with {@code token}, verifies after the update. */
    public Pod startWorkload(String name, long token) {
        return client().pods().inNamespace(WORKLOAD_NAMESPACE)
                .resource(WorkloadPods.verifying(name, token, socketDir, images.reference("sample-workload"))).create();
    }

    public String workloadLog(String pod) {
        return client().pods().inNamespace(WORKLOAD_NAMESPACE).withName(pod).getLog();
    }

    /** A plan for the node (every node: there is one) to one of its two simulated kernels. */
    public LiveUpdate plan(String name, String release, TargetPhase target) {
        return Plans.toKernel(name, kernelDir, release, target);
    }

    public LiveUpdate applyPlan(LiveUpdate plan) {
        return client().resources(LiveUpdate.class).resource(plan).create();
    }

    public KubernetesClient client() {
        return cluster.client();
    }

    public TestCluster cluster() {
        return cluster;
    }

    public RealNode node() {
        return node;
    }

    public ProjectImages images() {
        return images;
    }

    /** What the node left on the host after {@link #close()}: empty when clean. */
    public List<String> leftovers() {
        return node.leftovers();
    }

    private String chart() {
        return repo.resolve("helm/liveupdate-operator").toString();
    }

    private String helm(List<String> args) {
        args.add("--kubeconfig");
        args.add(cluster.kubeconfig().toString());
        return cluster.helm().run(args).orThrow(args);
    }

    private static void sets(List<String> args, Map<String, String> values) {
        values.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
    }

    /** Stops the node (its pods first), then the control plane. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            cluster.close();
        }
    }
}
