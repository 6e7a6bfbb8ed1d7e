package dev.liveupdate.testcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds kube-apiserver, kube-controller-manager, etcd and helm. Order: env LIVEUPDATE_CONTROLPLANE_BIN
 * (or -Dliveupdate.controlplane.bin), else the cache directory hack/install-controlplane.sh builds into:
 * ${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}/controlplane/kube-V_etcd-V_helm-V/bin.
 */
public final class ControlPlaneBinaries {
    public static final String BIN_ENV = "LIVEUPDATE_CONTROLPLANE_BIN";
    public static final String BIN_PROPERTY = "liveupdate.controlplane.bin";
    public static final String INSTALL_HINT = "install them with: bash hack/install-controlplane.sh "
            + "(builds the pinned versions from tools/versions.env; ~20-30 min on 2 cores the first time), "
            + "or point " + BIN_ENV + " at a directory holding them";

    private final Path directory;
    private final ControlPlaneVersions versions;

    private ControlPlaneBinaries(Path directory, ControlPlaneVersions versions) {
        this.directory = directory;
        this.versions = versions;
    }

    /** Locates the binaries and checks that all four are executable; throws with an install hint if not. */
    public static ControlPlaneBinaries locate() {
        ControlPlaneVersions versions = ControlPlaneVersions.load();
        Path dir = configuredDirectory().orElse(defaultDirectory(versions));
        List<String> missing = new ArrayList<>();
        for (String name : List.of("etcd", "kube-apiserver", "kube-controller-manager", "helm")) {
            if (!Files.isExecutable(dir.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ControlPlaneMissingException("control-plane binaries missing in " + dir + ": " + String.join(", ", missing)
                    + " (want Kubernetes " + versions.kubernetes() + ", etcd " + versions.etcd() + ", helm " + versions.helm()
                    + "); " + INSTALL_HINT);
        }
        return new ControlPlaneBinaries(dir, versions);
    }

    private static java.util.Optional<Path> configuredDirectory() {
        String p = System.getProperty(BIN_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(BIN_ENV);
        }
        return p == null || p.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(p));
    }

    /** The same path hack/controlplane-env.sh computes. */
    static Path defaultDirectory(ControlPlaneVersions versions) {
        String cache = System.getenv("LIVEUPDATE_CACHE");
        Path base = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "liveupdate-operator");
        return base.resolve("controlplane").resolve(versions.cacheKey()).resolve("bin");
    }

    public Path directory() {
        return directory;
    }

    public ControlPlaneVersions versions() {
        return versions;
    }

    public Path etcd() {
        return directory.resolve("etcd");
    }

    public Path kubeApiServer() {
        return directory.resolve("kube-apiserver");
    }

    public Path kubeControllerManager() {
        return directory.resolve("kube-controller-manager");
    }

    public Path helm() {
        return directory.resolve("helm");
    }

    public Path kubelet() {
        return directory.resolve("kubelet");
    }

    public Path kubeScheduler() {
        return directory.resolve("kube-scheduler");
    }

    public Path kubeProxy() {
        return directory.resolve("kube-proxy");
    }

    /** Throws with the install hint unless the real-node tier's binaries (kubelet, kube-scheduler, kube-proxy) are here. */
    public void requireNodeBinaries() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(kubelet(), kubeScheduler(), kubeProxy())) {
            if (!Files.isExecutable(p)) {
                missing.add(p.getFileName().toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new ControlPlaneMissingException("real-node binaries missing in " + directory + ": "
                    + String.join(", ", missing) + "; " + INSTALL_HINT);
        }
    }
}
