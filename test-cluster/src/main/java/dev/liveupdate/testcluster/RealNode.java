package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Kubernetes node on this host beside a {@link TestCluster}: Debian's containerd and runc, a kubelet,
 * kube-scheduler and kube-proxy built from the same pinned Kubernetes module as the API server, a bridge CNI network.
 * Pods run for real (images imported into containerd; nothing is pulled). One real node per host at a time (a host
 * lock): the kubelet owns host-wide things (cgroups under /kubepods, iptables chains).
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.builder().withNodeAddress(RealNode.hostAddress())
 *         .withControllers(RealNode.CONTROLLERS).start();
 *      RealNode node = RealNode.start(cluster, RealNode.options().image(pauseArchive).sandboxImage(pauseRef))) {
 *     ...
 * }
 * }</pre>
 * Close stops the pods (through the API, so the kubelet tears their sandboxes and networks down), then every process,
 * and sweeps what a crash could have left (shims, mounts, cgroups, the bridge); {@link #leftovers()} tells what stayed.
 */
public final class RealNode implements AutoCloseable {
    /** The controllers a real node needs on top of the defaults: DaemonSets, Deployments, Services, node heartbeats. */
    public static final List<String> CONTROLLERS = List.copyOf(concat(KubeControllerManager.DEFAULT_CONTROLLERS, List.of(
            "node-lifecycle-controller", "taint-eviction-controller", "daemonset-controller", "deployment-controller",
            "replicaset-controller", "endpointslice-controller", "pod-garbage-collector-controller",
            "job-controller", "ttl-after-finished-controller")));
    private static final Path HOST_LOCK = Path.of("/run/lock/liveupdate-real-node.lock");

    private final TestCluster cluster;
    private final String name;
    private final Path dir;
    private final Containerd containerd;
    private final Kubelet kubelet;
    private final List<ManagedProcess> services;
    private final PodNetwork network;
    private final HostLeftovers leftovers;
    private final FileLock hostLock;
    private volatile boolean closed;

    private RealNode(TestCluster cluster, String name, Path dir, Containerd containerd, Kubelet kubelet,
                     List<ManagedProcess> services, PodNetwork network, HostLeftovers leftovers, FileLock hostLock) {
        this.cluster = cluster;
        this.name = name;
        this.dir = dir;
        this.containerd = containerd;
        this.kubelet = kubelet;
        this.services = services;
        this.network = network;
        this.leftovers = leftovers;
        this.hostLock = hostLock;
    }

    public static Options options() {
        return new Options();
    }

    /** The host's address on its default route: what the API server advertises so pods can reach it. */
    public static String hostAddress() {
        String out = HostCommand.check(List.of(Objects.requireNonNull(NodePrerequisites.onPath("ip"),
                "ip not found; " + NodePrerequisites.INSTALL_HINT).toString(), "-4", "route", "get", "1.1.1.1"));
        String[] words = out.split("\\s+");
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("src")) {
                return words[i + 1];
            }
        }
        throw new IllegalStateException("cannot find this host's IPv4 address (ip route get printed: " + out.strip()
                + "); the real node needs a default route");
    }

    public static RealNode start(TestCluster cluster, Options o) {
        if (cluster.nodeAddress() == null) {
            throw new IllegalArgumentException("start the TestCluster withNodeAddress(RealNode.hostAddress()): pods must "
                    + "reach the API server");
        }
        ControlPlaneBinaries bin = cluster.binaries();
        NodePrerequisites.check(bin);
        Path dir = cluster.workDir().resolve("node");
        FileLock lock = lockHost(o.timeout);
        List<ManagedProcess> services = new ArrayList<>();
        Containerd containerd = null;
        Kubelet kubelet = null;
        PodNetwork network = null;
        HostLeftovers leftovers = null;
        try {
            Files.createDirectories(dir);
            network = PodNetwork.write(dir.resolve("cni"));
            leftovers = HostLeftovers.before(dir, dir.resolve("containerd/containerd.sock"));
            sharedHostRoot(dir.resolve("host"));
            containerd = Containerd.start(dir.resolve("containerd"), cluster.logDir(), o.sandboxImage, network, o.timeout);
            for (Path archive : o.images) {
                containerd.importImage(archive);
            }
            if (!containerd.images().contains(o.sandboxImage)) {
                throw new IllegalStateException("the sandbox image " + o.sandboxImage + " is not in containerd (imported: "
                        + containerd.images() + "); build it with bash hack/build-images.sh and pass its archive");
            }
            services.add(NodeServices.startScheduler(bin, cluster.workDir(), cluster.kubeconfig(), cluster.pki(), o.timeout));
            services.add(NodeServices.startProxy(bin, cluster.workDir(), cluster.kubeconfig(), o.name, network.subnet(),
                    o.timeout));
            kubelet = Kubelet.start(bin, dir.resolve("kubelet"), cluster.logDir(), cluster.kubeconfig(), cluster.caCertFile(), containerd,
                    o.name, cluster.nodeAddress(), o.timeout);
            RealNode node = new RealNode(cluster, o.name, dir, containerd, kubelet, services, network, leftovers, lock);
            node.awaitReady(o.timeout);
            return node;
        } catch (RuntimeException | IOException e) {
            String logs = cluster.logDir().toString();
            if (kubelet != null) {
                kubelet.close();
            }
            services.forEach(ManagedProcess::close);
            if (containerd != null) {
                containerd.killEverything();
                containerd.close();
            }
            NodeServices.cleanupProxyRules(bin);
            if (network != null) {
                network.removeBridge();
            }
            if (leftovers != null) {
                leftovers.sweep();
            }
            release(lock);
            throw new IllegalStateException("the real node did not start (logs in " + logs + "): " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** The kubelet's --root-dir: the chart's device plugin value kubeletDir must name it. */
    public Path kubeletRootDir() {
        return kubelet.rootDir();
    }

    /**
     * A directory for this node's hostPath volumes (state, sockets, kernels), inside the work directory, on a shared
     * mount (see {@link #sharedHostRoot}).
     */
    public Path hostDir(String name) {
        try {
            return Files.createDirectories(dir.resolve("host").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bind-mounts the node's host directory onto itself and makes it rshared: a hostPath volume with
     * mountPropagation HostToContainer (the chart's kernel directories) needs a shared or slave mount beneath it,
     * which systemd hosts have for "/" and bare machines and CI containers may not. Only this directory changes.
     */
    private static void sharedHostRoot(Path hostRoot) throws IOException {
        Files.createDirectories(hostRoot);
        String mount = NodePrerequisites.onPath("mount").toString();
        HostCommand.check(List.of(mount, "--bind", hostRoot.toString(), hostRoot.toString()));
        HostCommand.check(List.of(mount, "--make-rshared", hostRoot.toString()));
    }

    public void importImage(Path archive) {
        containerd.importImage(archive);
    }

    /** Gives an imported image a second reference (e.g. a new tag for a helm upgrade), as a registry push would. */
    public void tagImage(String source, String target) {
        HostCommand.check(containerd.ctr("images", "tag", "--force", source, target));
    }

    public List<String> images() {
        return containerd.images();
    }

    public ManagedProcess kubeletProcess() {
        return kubelet.process();
    }

    /** What the node left on the host; empty after a clean {@link #close()}. */
    public List<String> leftovers() {
        List<String> found = new ArrayList<>(leftovers.find());
        for (String pname : List.of("containerd", "kubelet", "kube-scheduler", "kube-proxy")) {
            if (isAlive(pname)) {
                found.add(pname + " still running");
            }
        }
        return found;
    }

    private boolean isAlive(String processName) {
        return switch (processName) {
            case "containerd" -> containerd.process().isAlive();
            case "kubelet" -> kubelet.process().isAlive();
            default -> services.stream().anyMatch(s -> s.name().equals(processName) && s.isAlive());
        };
    }

    private void awaitReady(Duration timeout) {
        KubernetesClient c = cluster.client();
        Poll.until("node " + name + " Ready", timeout, Duration.ofMillis(500), () -> {
            Node n = c.nodes().withName(name).get();
            if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
                throw new IllegalStateException("node " + name + " not registered yet");
            }
            return n.getStatus().getConditions().stream()
                    .filter(cnd -> "Ready".equals(cnd.getType()))
                    .filter(cnd -> {
                        if (!"True".equals(cnd.getStatus())) {
                            throw new IllegalStateException("Ready=" + cnd.getStatus() + ": " + cnd.getMessage());
                        }
                        return true;
                    }).findFirst().map(x -> true);
        }, kubelet.process()::deathNotice);
    }

    /** Stops pods (so the kubelet releases their sandboxes), then the node's processes, then sweeps the host. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drainThroughApi();
        } catch (RuntimeException e) {
            System.err.println("real-node: stopping pods through the API failed, killing them instead: " + e.getMessage());
        }
        kubelet.close();
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        containerd.killEverything();
        containerd.close();
        NodeServices.cleanupProxyRules(cluster.binaries());
        network.removeBridge();
        leftovers.sweep();
        release(hostLock);
    }

    /** Deletes the workload controllers and every pod on the node, and waits until the kubelet has stopped them. */
    private void drainThroughApi() {
        KubernetesClient c = cluster.client();
        c.apps().daemonSets().inAnyNamespace().delete();
        c.apps().deployments().inAnyNamespace().delete();
        c.apps().replicaSets().inAnyNamespace().delete();
        c.apps().statefulSets().inAnyNamespace().delete();
        c.batch().v1().jobs().inAnyNamespace().delete();
        List<Pod> pods = c.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems();
        for (Pod p : pods) {
            c.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                    .withGracePeriod(10).delete();
        }
        Poll.until("pods on " + name + " stopped by the kubelet", Duration.ofSeconds(90), Duration.ofMillis(500),
                () -> c.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems().isEmpty()
                        ? Optional.of(true) : Optional.empty(), Optional::empty);
        Poll.until("pod sandboxes removed from containerd", Duration.ofSeconds(60), Duration.ofMillis(500),
                () -> containerd.tasks().isEmpty() ? Optional.of(true) : Optional.empty(), Optional::empty);
    }

    private static FileLock lockHost(Duration timeout) {
        try {
            Files.createDirectories(HOST_LOCK.getParent());
            FileChannel ch = FileChannel.open(HOST_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return Poll.until("the host lock " + HOST_LOCK + " (one real node per host: the kubelet owns host-wide "
                        + "cgroups and iptables chains)", timeout, Duration.ofMillis(500),
                        () -> Optional.ofNullable(ch.tryLock()), Optional::empty);
            } catch (RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("this JVM already runs a real node: one per host", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            System.err.println("real-node: releasing " + HOST_LOCK + ": " + e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Options for {@link #start}. */
    public static final class Options {
        private String name = "real-node";
        private final List<Path> images = new ArrayList<>();
        private String sandboxImage = "docker.io/liveupdate/pause:1.0";
        private Duration timeout = Duration.ofMinutes(3);

        private Options() {
        }

        public Options name(String nodeName) {
            this.name = Objects.requireNonNull(nodeName);
            return this;
        }

        /** An image archive imported into containerd before the kubelet starts (the pause image at least). */
        public Options image(Path archive) {
            this.images.add(archive);
            return this;
        }

        /** The pause image reference containerd's CRI uses for pod sandboxes. */
        public Options sandboxImage(String ref) {
            this.sandboxImage = Objects.requireNonNull(ref);
            return this;
        }

        public Options timeout(Duration t) {
            this.timeout = Objects.requireNonNull(t);
            return this;
        }
    }
}
