package dev.liveupdate.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The C smoke live update (qemu/smoke): the kernel, the initramfs, kexec and LUO work at all. */
class SmokeIT {
    @BeforeAll
    static void images() throws Exception {
        QemuScript.ensureGuestImages();
    }

    @Test
    void aStaticCProgramLiveUpdatesAMemfdAcrossARealKexec() throws Exception {
        QemuScript.Run run = QemuScript.run("smoke", Duration.ofMinutes(20), "qemu/smoke/run.sh", "--timeout", "900");
        assertThat(run.exit()).as(run.tail()).isZero();
        assertThat(run.output()).contains("smoke: PASS");
        String console = java.nio.file.Files.readString(run.dir().resolve("console.log"));
        assertThat(console).contains("luo: Retrieved live update data").contains("luo_smoke: PASS")
                .doesNotContainPattern("luo_smoke: CHECK .*: FAIL");
    }
}
