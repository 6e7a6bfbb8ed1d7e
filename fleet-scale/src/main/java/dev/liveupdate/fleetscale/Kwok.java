package dev.liveupdate.fleetscale;

import dev.liveupdate.testcluster.ControlPlaneBinaries;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * kwok (sigs.k8s.io/kwok, built by hack/install-controlplane.sh next to the control plane) as the kubelet of every
 * Node labelled {@link #LABEL}: it marks them Ready and keeps their heartbeat (Node status and Lease), the way the
 * operator sees real nodes, without a kubelet. Its stages are kwok's own defaults (node-initialize,
 * node-heartbeat-with-lease), copied into stages.yaml because the kwok binary has no built-in ones.
 */
public final class Kwok implements AutoCloseable {
    public static final String LABEL = "liveupdate.dev/fleet-scale";
    static final String INSTALL_HINT = "kwok missing: build it with bash hack/install-controlplane.sh (pinned in tools/versions.env, "
            + "KWOK_VERSION; a few minutes the first time)";

    private final ManagedProcess process;

    private Kwok(ManagedProcess process) {
        this.process = process;
    }

    /** The kwok binary in the control-plane cache, or an actionable error. */
    public static Path binary(ControlPlaneBinaries binaries) {
        Path kwok = binaries.directory().resolve("kwok");
        if (!Files.isExecutable(kwok)) {
            throw new IllegalStateException(INSTALL_HINT + " (looked for " + kwok + ")");
        }
        return kwok;
    }

    public static Kwok start(TestCluster cluster, Path dir) {
        try {
            Files.createDirectories(dir);
            Path stages = dir.resolve("stages.yaml");
            try (InputStream in = Kwok.class.getResourceAsStream("kwok-stages.yaml")) {
                Files.write(stages, in.readAllBytes());
            }
            List<String> command = List.of(binary(cluster.binaries()).toString(),
                    "--config=" + stages,
                    "--kubeconfig=" + cluster.kubeconfig(),
                    "--manage-all-nodes=false",
                    "--manage-nodes-with-label-selector=" + LABEL,
                    "--node-lease-duration-seconds=40");
            return new Kwok(ManagedProcess.start("kwok", command, dir.resolve("kwok.log")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare kwok in " + dir, e);
        }
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
