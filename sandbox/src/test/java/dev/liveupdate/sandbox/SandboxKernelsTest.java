package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.luo.sim.SimulatedKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checksums the sandbox's plans carry (the kernel policy requires them) are those of the images it writes. */
class SandboxKernelsTest {
    @TempDir
    Path dir;

    @Test
    void constantsMatchTheSimulatedImages() throws Exception {
        assertThat(sha256(SimulatedKernel.writeImage(dir.resolve("a"), FleetOptions.KERNEL_RELEASE)))
                .isEqualTo(FleetOptions.KERNEL_SHA256);
        assertThat(sha256(SimulatedKernel.writeImage(dir.resolve("b"), FleetOptions.NEXT_KERNEL_RELEASE)))
                .isEqualTo(FleetOptions.NEXT_KERNEL_SHA256);
    }

    @Test
    void theSandboxExamplesCarryTheImagesChecksum() throws IOException {
        Path examples = FleetLayout.locate(Path.of("")).examplesDir();
        for (String plan : new String[] {"rollout.yaml", "restore-timeout.yaml", "staged.yaml"}) {
            assertThat(Files.readString(examples.resolve(plan))).as(plan)
                    .contains("image: " + FleetOptions.KERNEL_IMAGE)
                    .contains("sha256: " + FleetOptions.KERNEL_SHA256);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
