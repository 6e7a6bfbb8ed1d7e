package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.testcluster.HttpsMirror;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sandbox's kernel mirror (--kernel-mirror): a local HTTPS server with a key pair made at start, serving the
 * sandbox kernels, so a plan can name its kernel by URL. The agents trust it through their CA-bundle setting and may
 * download only under its prefix; the chart's kernel policy admits that prefix.
 */
final class KernelMirror implements AutoCloseable {
    static final String PREFIX_PATH = "/kernels/";

    private final HttpsMirror server;

    KernelMirror(Path dir) throws Exception {
        Files.createDirectories(dir);
        server = new HttpsMirror(dir);
        for (String[] k : new String[][] {{FleetOptions.KERNEL_IMAGE, FleetOptions.KERNEL_RELEASE},
                {FleetOptions.NEXT_KERNEL_IMAGE, FleetOptions.NEXT_KERNEL_RELEASE}}) {
            Path image = SimulatedKernel.writeImage(dir.resolve(Path.of(k[0]).getFileName()), k[1]);
            server.serve(PREFIX_PATH + image.getFileName(), Files.readAllBytes(image));
        }
    }

    String prefix() {
        return server.httpsUrl(PREFIX_PATH);
    }

    /** The fleet with agents allowed to download from this mirror and the kernel policy admitting it. */
    FleetOptions configure(FleetOptions options) {
        return options.with(Map.of("liveupdate.agent.staging.allowed-url-prefixes", prefix(),
                "liveupdate.agent.staging.ca-bundle", server.caBundle.toString()),
                Map.of("agent.staging.allowedUrlPrefixes", "{" + prefix() + "}"));
    }

    /** The plan with its sandbox kernel image named by this mirror's URL instead of the host path. */
    LiveUpdate byUrl(LiveUpdate plan) {
        KernelSpec k = plan.getSpec().getKernel();
        if (k.getImage() == null || !k.getImage().startsWith(FleetOptions.KERNEL_DIR + "/")) {
            throw new IllegalArgumentException("--kernel-mirror serves the sandbox kernels of " + FleetOptions.KERNEL_DIR
                    + "; the plan names " + k.getImage());
        }
        k.setUrl(prefix() + Path.of(k.getImage()).getFileName());
        k.setImage(null);
        return plan;
    }

    /** How many times the mirror served a kernel. */
    long downloads() {
        return server.requests.stream().filter(r -> r.path().startsWith(PREFIX_PATH)).count();
    }

    @Override
    public void close() {
        server.close();
    }
}
