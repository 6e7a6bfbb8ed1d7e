package dev.liveupdate.luo.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcHostInfoTest {
    @TempDir
    Path proc;

    @Test
    void readsTheRunningKernel() {
        ProcHostInfo host = new ProcHostInfo();
        assertThat(host.bootId()).matches("[0-9a-f-]{36}");
        assertThat(host.kernelRelease()).isEqualTo(System.getProperty("os.version"));
        assertThat(host.kernelCmdline()).isNotNull();
    }

    @Test
    void readsAProcTree() throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), "0b7c9c9e-1111-2222-3333-444455556666\n");
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "7.2.0-1-amd64\n");
        Files.writeString(proc.resolve("cmdline"), "console=ttyS0 kho=on liveupdate=on\n");
        ProcHostInfo host = new ProcHostInfo(proc);
        assertThat(host.bootId()).isEqualTo("0b7c9c9e-1111-2222-3333-444455556666");
        assertThat(host.kernelRelease()).isEqualTo("7.2.0-1-amd64");
        assertThat(host.kernelCmdline()).isEqualTo("console=ttyS0 kho=on liveupdate=on");
    }
}
