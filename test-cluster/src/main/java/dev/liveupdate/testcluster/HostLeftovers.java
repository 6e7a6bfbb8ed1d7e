package dev.liveupdate.testcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a real node can leave on the host after its processes stopped: containerd shims, mounts (container root
 * filesystems, /dev/shm of sandboxes, projected token tmpfs, network namespace files) and the kubelet's cgroups.
 * {@link #sweep} removes them; {@link #find} lists what is still there, so a test can assert that nothing is.
 */
final class HostLeftovers {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final Path workDir;
    private final String containerdSocket;
    private final Set<String> netnsBefore;

    private HostLeftovers(Path workDir, String containerdSocket, Set<String> netnsBefore) {
        this.workDir = workDir;
        this.containerdSocket = containerdSocket;
        this.netnsBefore = netnsBefore;
    }

    /** Remembers the network namespaces that existed before the node started: only newer ones are ours. */
    static HostLeftovers before(Path workDir, Path containerdSocket) {
        return new HostLeftovers(workDir, containerdSocket.toString(), Set.copyOf(netnsMounts()));
    }

    /** Kills shims, unmounts, removes kubepods cgroups. Best effort; {@link #find} tells what stayed. */
    void sweep() {
        for (long pid : shimPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        List<String> mounts = new ArrayList<>(ourMounts());
        mounts.sort(Comparator.comparingInt(String::length).reversed()); // children before parents
        for (String m : mounts) {
            HostCommand.run(List.of(NodePrerequisites.onPath("umount").toString(), "--lazy", m));
        }
        for (String ns : ourNetns()) {
            try {
                Files.deleteIfExists(Path.of(ns));
            } catch (IOException e) {
                // reported by find()
            }
        }
        for (Path cg : kubepodsCgroups()) {
            removeCgroupTree(cg);
        }
        removeKubeletChains();
    }

    /**
     * The kubelet's own iptables chains (KUBE-FIREWALL, KUBE-KUBELET-CANARY, KUBE-IPTABLES-HINT): kube-proxy --cleanup
     * does not remove them, and KUBE-FIREWALL would keep dropping non-local traffic to 127.0.0.0/8 after the test.
     * Kubernetes 1.30's kube-proxy --cleanup also leaves its KUBE-PROXY-CANARY chains and KUBE-MARK-MASQ (seen with
     * hack/test-matrix.sh; 1.34 removes them itself).
     */
    private static void removeKubeletChains() {
        for (String tool : List.of("iptables", "ip6tables")) {
            Path exe = NodePrerequisites.onPath(tool);
            if (exe == null) {
                continue;
            }
            for (String hook : List.of("INPUT", "OUTPUT")) {
                HostCommand.run(List.of(exe.toString(), "-t", "filter", "-D", hook, "-j", "KUBE-FIREWALL"));
            }
            for (String table : List.of("filter", "nat", "mangle")) {
                for (String chain : List.of("KUBE-FIREWALL", "KUBE-KUBELET-CANARY", "KUBE-IPTABLES-HINT",
                        "KUBE-PROXY-CANARY", "KUBE-MARK-MASQ")) {
                    HostCommand.run(List.of(exe.toString(), "-t", table, "-F", chain));
                    HostCommand.run(List.of(exe.toString(), "-t", table, "-X", chain));
                }
            }
        }
    }

    private static List<String> kubeChains() {
        List<String> chains = new ArrayList<>();
        for (String tool : List.of("iptables-save", "ip6tables-save")) {
            Path save = NodePrerequisites.onPath(tool);
            if (save != null) {
                HostCommand.run(List.of(save.toString())).output().lines()
                        .filter(l -> l.startsWith(":KUBE-") || l.startsWith(":CNI-"))
                        .map(l -> tool + ": " + l.substring(1).split(" ")[0]).forEach(chains::add);
            }
        }
        return chains;
    }

    /** Human-readable leftovers; empty when the host is clean. */
    List<String> find() {
        List<String> found = new ArrayList<>();
        shimPids().forEach(pid -> found.add("containerd shim still running: pid " + pid));
        ourMounts().forEach(m -> found.add("mount still present: " + m));
        ourNetns().forEach(n -> found.add("network namespace still mounted: " + n));
        kubepodsCgroups().forEach(c -> found.add("cgroup still present: " + c));
        kubeChains().forEach(c -> found.add("iptables chain still present: " + c));
        return found;
    }

    private List<Long> shimPids() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                            return cmd.contains("containerd-shim") && cmd.contains(containerdSocket);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<String> ourMounts() {
        String prefix = workDir.toString() + "/";
        return mountPoints().stream().filter(m -> m.startsWith(prefix)).toList();
    }

    private List<String> ourNetns() {
        return netnsMounts().stream().filter(m -> !netnsBefore.contains(m)).toList();
    }

    private static List<String> netnsMounts() {
        return mountPoints().stream().filter(m -> m.startsWith("/run/netns/cni-") || m.startsWith("/var/run/netns/cni-")).toList();
    }

    private static List<String> mountPoints() {
        try {
            return Files.readAllLines(MOUNTINFO).stream().map(l -> l.split(" ")[4])
                    .map(HostLeftovers::unescape).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String unescape(String mountinfoPath) {
        return mountinfoPath.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The kubelet's pod cgroups (cgroupfs driver: /kubepods under each v1 controller). */
    private static List<Path> kubepodsCgroups() {
        if (!Files.isDirectory(CGROUP_ROOT)) {
            return List.of();
        }
        try (Stream<Path> controllers = Files.list(CGROUP_ROOT)) {
            return controllers.map(c -> c.resolve("kubepods")).filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** cgroup directories go bottom-up with rmdir; their files cannot be deleted. */
    private static void removeCgroupTree(Path root) {
        try (Stream<Path> dirs = Files.walk(root)) {
            dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(d -> d.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // reported by find()
        }
    }
}
