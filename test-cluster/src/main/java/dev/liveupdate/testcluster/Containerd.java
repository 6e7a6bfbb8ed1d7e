package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debian's containerd (1.6) with its own root, state and socket under the node's work directory, the CRI plugin on,
 * the cgroupfs driver (no systemd here), the project's pause image as sandbox image and a bridge CNI network. OOM
 * scores are kept no lower than containerd's own: the kubelet asks -998 for sandboxes, which needs CAP_SYS_RESOURCE,
 * and test machines (this one, CI containers) may run root without it. Images
 * come only from {@link #importImage}: there is no registry to pull from, and the kubelet uses IfNotPresent.
 */
final class Containerd implements AutoCloseable {
    /** Where every Kubernetes image lives in containerd. */
    static final String K8S_NAMESPACE = "k8s.io";

    private final ManagedProcess process;
    private final Path socket;

    private Containerd(ManagedProcess process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static Containerd start(Path dir, Path logDir, String sandboxImage, PodNetwork network, Duration timeout) {
        Path socket = dir.resolve("containerd.sock");
        Path config = dir.resolve("config.toml");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, config(dir, socket, sandboxImage, network));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess p = ManagedProcess.start("containerd", List.of(NodePrerequisites.onPath("containerd").toString(),
                "--config", config.toString()), logDir.resolve("containerd.log"));
        Containerd c = new Containerd(p, socket);
        try {
            Poll.until("containerd on " + socket, timeout, Duration.ofMillis(200), () -> {
                HostCommand.Result r = HostCommand.run(c.ctr("version"));
                if (!r.ok()) {
                    throw new IllegalStateException(r.output().strip());
                }
                return Optional.of(true);
            }, p::deathNotice);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static String config(Path dir, Path socket, String sandboxImage, PodNetwork network) {
        return """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", \
                "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%s"
                  enable_selinux = false
                  restrict_oom_score_adj = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%s"
                    conf_dir = "%s"
                    max_conf_num = 1
                """.formatted(dir.resolve("root"), dir.resolve("state"), socket, dir.resolve("containerd-ttrpc.sock"),
                sandboxImage, NodePrerequisites.CNI_BIN_DIR, network.confDir());
    }

    Path socket() {
        return socket;
    }

    /** "unix:///..." for the kubelet's --container-runtime-endpoint. */
    String endpoint() {
        return "unix://" + socket;
    }

    ManagedProcess process() {
        return process;
    }

    /** ctr against this containerd, in the k8s.io namespace. */
    List<String> ctr(String... args) {
        List<String> cmd = new ArrayList<>(List.of(NodePrerequisites.onPath("ctr").toString(), "--address", socket.toString(),
                "--namespace", K8S_NAMESPACE));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Imports an OCI or docker archive into the k8s.io namespace (unpacked for the overlayfs snapshotter). */
    void importImage(Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException("image archive " + archive + " does not exist: build the images with "
                    + "bash hack/build-images.sh");
        }
        HostCommand.check(ctr("images", "import", archive.toString()));
    }

    /** Image references containerd holds in k8s.io. */
    List<String> images() {
        return HostCommand.check(ctr("images", "ls", "-q")).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Containers that still have a task (running or stopped but not deleted): pod sandboxes and app containers. */
    List<String> tasks() {
        return HostCommand.run(ctr("tasks", "ls", "-q")).output().lines().map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !s.startsWith("ctr:")).toList();
    }

    /** Kills and deletes every task and container, for the teardown after the kubelet is gone. */
    void killEverything() {
        for (String id : tasks()) {
            HostCommand.run(ctr("tasks", "kill", "--all", "--signal", "SIGKILL", id));
        }
        for (String id : tasks()) {
            HostCommand.run(ctr("tasks", "delete", "--force", id));
        }
        for (String id : HostCommand.run(ctr("containers", "ls", "-q")).output().lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList()) {
            HostCommand.run(ctr("containers", "delete", id));
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
