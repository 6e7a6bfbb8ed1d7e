package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kubelet of the real node, on the host (as root), talking CRI to {@link Containerd}. Settings that matter here:
 * the cgroupfs driver and {@code failCgroupV1: false} (hosts of this kind are cgroup v1), no swap check, eviction and
 * image garbage collection thresholds low enough that a full test disk never deletes the imported images (there is
 * no registry to pull them back from), and its own root directory under the work directory.
 */
final class Kubelet implements AutoCloseable {
    private final ManagedProcess process;
    private final Path rootDir;

    private Kubelet(ManagedProcess process, Path rootDir) {
        this.process = process;
        this.rootDir = rootDir;
    }

    static Kubelet start(ControlPlaneBinaries bin, Path dir, Path logDir, Path kubeconfig, Path clientCa, Containerd containerd,
                         String nodeName, String nodeIp, Duration timeout) {
        Path rootDir = dir.resolve("root");
        Path config = dir.resolve("kubelet-config.yaml");
        int port = FreePorts.next();
        int healthz = FreePorts.next();
        try {
            Files.createDirectories(rootDir);
            Files.createDirectories(dir.resolve("pod-logs"));
            Files.writeString(config, """
                    apiVersion: kubelet.config.k8s.io/v1beta1
                    kind: KubeletConfiguration
                    address: %s
                    port: %d
                    readOnlyPort: 0
                    healthzBindAddress: 127.0.0.1
                    healthzPort: %d
                    authentication:
                      anonymous: {enabled: false}
                      webhook: {enabled: false}
                      x509: {clientCAFile: %s}
                    authorization: {mode: AlwaysAllow}
                    cgroupDriver: cgroupfs
                    failCgroupV1: false
                    failSwapOn: false
                    containerRuntimeEndpoint: %s
                    resolvConf: /etc/resolv.conf
                    podLogsDir: %s
                    evictionHard: {memory.available: "50Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
                    imageGCHighThresholdPercent: 100
                    imageGCLowThresholdPercent: 99
                    serializeImagePulls: false
                    shutdownGracePeriod: 0s
                    nodeStatusUpdateFrequency: 5s
                    fileCheckFrequency: 5s
                    syncFrequency: 10s
                    """.formatted(nodeIp, port, healthz, clientCa, containerd.endpoint(), dir.resolve("pod-logs")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess p = ManagedProcess.start("kubelet", List.of(bin.kubelet().toString(),
                "--config=" + config,
                "--kubeconfig=" + kubeconfig,
                "--root-dir=" + rootDir,
                "--hostname-override=" + nodeName,
                "--node-ip=" + nodeIp,
                "--v=2"), logDir.resolve("kubelet.log"));
        Kubelet k = new Kubelet(p, rootDir);
        HealthProbe probe = new HealthProbe(null);
        try {
            Poll.until("kubelet /healthz on 127.0.0.1:" + healthz, timeout, Duration.ofMillis(250),
                    () -> probe.check(URI.create("http://127.0.0.1:" + healthz + "/healthz"), "ok"), p::deathNotice);
        } catch (RuntimeException e) {
            k.close();
            throw new IllegalStateException(e.getMessage() + "; kubelet log: " + p.log(), e);
        }
        return k;
    }

    /** The kubelet's --root-dir (pods' volumes, device-plugins/, plugins_registry/). */
    Path rootDir() {
        return rootDir;
    }

    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
