package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.RebootStrategy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
    @Test
    void planPathsResolveUnderTheHostRoot() {
        EngineSettings inContainer = new EngineSettings("n", Path.of("/dev/liveupdate"), Path.of("/s"), RebootStrategy.Direct, "v", Path.of("/host"));
        assertThat(inContainer.hostPath("/boot/vmlinuz-7.2")).isEqualTo(Path.of("/host/boot/vmlinuz-7.2"));
    }

    @Test
    void defaultHostRootIsTheRealRoot() {
        EngineSettings direct = new EngineSettings("n", Path.of("/dev/liveupdate"), Path.of("/s"), RebootStrategy.Direct, "v");
        assertThat(direct.hostPath("/boot/vmlinuz-7.2")).isEqualTo(Path.of("/boot/vmlinuz-7.2"));
    }
}
