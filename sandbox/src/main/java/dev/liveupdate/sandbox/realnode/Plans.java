package dev.liveupdate.sandbox.realnode;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.RestoreSpec;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Plans for the real node: every node (there is one), a simulated kernel in the node's kernel directory. */
final class Plans {
    private Plans() {
    }

    static LiveUpdate toKernel(String name, Path kernelDir, String release, TargetPhase target) {
        Path image = kernelDir.resolve("vmlinuz-" + release);
        LiveUpdate plan = new LiveUpdate();
        plan.setMetadata(new ObjectMetaBuilder().withName(name).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelector());
        KernelSpec kernel = new KernelSpec();
        kernel.setRelease(release);
        kernel.setImage(image.toString());
        kernel.setSha256(sha256(image));
        spec.setKernel(kernel);
        SessionSpec session = new SessionSpec();
        session.setName("vm-memory");
        RestoreSpec restore = new RestoreSpec();
        restore.setTimeout("2m");
        session.setRestore(restore);
        spec.setSessions(List.of(session));
        spec.setTargetPhase(target);
        RolloutStrategy strategy = new RolloutStrategy();
        strategy.setMaxUnavailable(new IntOrString(1));
        spec.setStrategy(strategy);
        plan.setSpec(spec);
        return plan;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
