package dev.liveupdate.agent.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Real cgroups named the way the kubelet names pod cgroups, under a test root of their own: on a cgroup v1 host in
 * the pids hierarchy, on a v2 host in the unified tree. A test process writes its pid into {@link #procs} first thing,
 * so the agent reads the pod from its {@code /proc/<pid>/cgroup} like a kubelet-started container's. Needs root.
 */
public final class KubeletStyleCgroups implements AutoCloseable {
    private final Path root;
    private final List<Path> created = new ArrayList<>();

    public KubeletStyleCgroups() throws IOException {
        Path base = Files.exists(Path.of("/sys/fs/cgroup/cgroup.procs")) ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup/pids");
        if (!Files.isWritable(base)) {
            throw new IllegalStateException(base + " is not writable: these tests create real cgroups and need root on a host with"
                    + " cgroup v1 (the pids controller mounted at /sys/fs/cgroup/pids) or cgroup v2 at /sys/fs/cgroup");
        }
        root = base.resolve("lu-test-" + UUID.randomUUID());
        mkdir(root);
    }

    /** A container cgroup of a pod, cgroupfs driver: {@code kubepods/burstable/pod<uid>/<container>}. */
    public Path cgroupfsPod(String podUid) throws IOException {
        return mkdirs("kubepods", "burstable", "pod" + podUid, "0123456789abcdef");
    }

    /** A container cgroup of a pod, systemd driver: {@code kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_>.slice/cri-containerd-<id>.scope}. */
    public Path systemdPod(String podUid) throws IOException {
        String u = podUid.replace('-', '_');
        return mkdirs("kubepods.slice", "kubepods-besteffort.slice", "kubepods-besteffort-pod" + u + ".slice", "cri-containerd-4b5e0d3f9a.scope");
    }

    /** The file a process writes its pid into to join {@code cgroup}. */
    public static Path procs(Path cgroup) {
        return cgroup.resolve("cgroup.procs");
    }

    private Path mkdirs(String... names) throws IOException {
        Path p = root;
        for (String n : names) {
            p = p.resolve(n);
            if (!Files.exists(p)) {
                mkdir(p);
            }
        }
        return p;
    }

    private void mkdir(Path p) throws IOException {
        Files.createDirectory(p);
        created.add(p);
    }

    /** Removes the cgroups, deepest first; their processes must have exited. */
    @Override
    public void close() throws IOException {
        for (int i = created.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(created.get(i)); // rmdir of a cgroup
        }
    }
}
