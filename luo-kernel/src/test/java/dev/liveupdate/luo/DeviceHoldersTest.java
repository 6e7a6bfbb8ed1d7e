package dev.liveupdate.luo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming EBUSY holders by scanning /proc/[pid]/fd. */
class DeviceHoldersTest {
    @TempDir
    Path proc;

    private void process(String pid, String cmdline, String... fdTargets) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid).resolve("fd"));
        Files.writeString(proc.resolve(pid).resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
        for (int i = 0; i < fdTargets.length; i++) {
            Files.createSymbolicLink(dir.resolve(Integer.toString(i)), Path.of(fdTargets[i]));
        }
    }

    @Test
    void findsEveryProcessWithALinkToTheDevice() throws IOException {
        process("100", "/usr/bin/agent --node a", "/dev/null", "/dev/liveupdate");
        process("200", "systemd", "/dev/liveupdate");
        process("300", "bash", "/dev/tty");
        Files.createDirectories(proc.resolve("self"));
        assertThat(DeviceHolders.find(proc, "/dev/liveupdate"))
                .containsExactlyInAnyOrder("pid 100 (/usr/bin/agent --node a)", "pid 200 (systemd)");
    }

    @Test
    void findsThisProcessOnTheRealProc() throws IOException {
        Path file = Files.createTempFile(proc, "held", "");
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            assertThat(DeviceHolders.find(file.toString()))
                    .anySatisfy(h -> assertThat(h).startsWith("pid " + ProcessHandle.current().pid() + " "));
        }
    }
}
