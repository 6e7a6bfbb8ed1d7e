package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetWorkDirTest {
    @TempDir
    Path tmp;

    @Test
    void previousSandboxStateIsWiped() throws Exception {
        Path dir = tmp.resolve("fleet");
        Fleet.prepareWorkDir(dir);
        Files.createDirectories(dir.resolve("nodes/node-1/machine"));
        Files.writeString(dir.resolve("nodes/node-1/machine/current"), "boot-2");
        Fleet.prepareWorkDir(dir);
        assertThat(dir.resolve("nodes")).doesNotExist();
        assertThat(dir.resolve(".liveupdate-sandbox")).exists();
    }

    @Test
    void foreignNonEmptyDirectoryIsRefused() throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> Fleet.prepareWorkDir(tmp)).hasMessageContaining("not made by the sandbox");
        assertThat(tmp.resolve("precious.txt")).exists();
    }
}
