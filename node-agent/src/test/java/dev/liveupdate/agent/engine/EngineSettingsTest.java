package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
    private static EngineSettings direct() {
        return new EngineSettings("n", Path.of("/dev/liveupdate"), Path.of("/s"), RebootStrategy.Direct, "v");
    }

    @Test
    void defaultsAreTheRealRootAndBoot() {
        assertThat(direct().hostRoot()).isEqualTo(Path.of("/"));
        assertThat(direct().kernelDirs()).containsExactly(Path.of("/boot"));
    }

    @Test
    void kernelDirectoriesAreAbsolutePlainPaths() {
        assertThat(direct().withKernelDirs(List.of(Path.of("/boot"), Path.of("/var/lib/kernels"))).kernelDirs()).hasSize(2);
        assertThatThrownBy(() -> direct().withKernelDirs(List.of(Path.of("boot")))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> direct().withKernelDirs(List.of(Path.of("/boot/../etc")))).hasMessageContaining("..");
        assertThatThrownBy(() -> direct().withKernelDirs(List.of())).hasMessageContaining("no kernel directory");
    }
}
