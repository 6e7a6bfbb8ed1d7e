package dev.liveupdate.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real live update by the real node agent in the QEMU guest (qemu/agent/run.sh): standalone mode,
 * reboot strategy direct, a workload's memfd of random bytes preserved through the agent socket,
 * kexec into the same kernel, a second agent process restores, the workload verifies SHA-256, FINISH.
 * The measurements (blackout, JVM start to device ready) are copied to target/qemu-measurements.
 */
class AgentLiveUpdateIT {
    @BeforeAll
    static void images() throws Exception {
        QemuScript.ensureGuestImages();
    }

    @Test
    void theAgentLiveUpdatesARealKernelAndTheWorkloadGetsItsBytesBack() throws Exception {
        QemuScript.Run run = QemuScript.run("agent", Duration.ofMinutes(60), "qemu/agent/run.sh", "--timeout", "3000");
        assertThat(run.dir()).as(run.tail()).isNotNull();
        String console = Files.readString(run.dir().resolve("console.log"));
        Matcher preserved = Pattern.compile("(?m)^PRESERVED session=vm token=1 bytes=\\d+ sha256=([0-9a-f]{64})$").matcher(console);
        assertThat(preserved.find()).as("the workload handed over its memfd\n" + run.tail()).isTrue();
        assertThat(console).as(run.tail()).contains("VERIFIED " + preserved.group(1))
                .contains("luo: Retrieved live update data")
                .contains("LUO-GUEST-RESULT: PASS stage=2");
        String status = run.file("status.json");
        assertThat(status).contains("\"phase\":\"Finished\"").contains("\"result\":\"Finished\"");
        Properties m = new Properties();
        m.load(new StringReader(run.file("measurements.properties")));
        System.out.println(run.file("summary.txt"));
        assertThat(Long.parseLong(m.getProperty("blackout_agent_ms"))).isPositive();
        assertThat(Long.parseLong(m.getProperty("agent2_jvm_start_to_device_settled_ms"))).isPositive();
        Path out = Path.of("target", "qemu-measurements");
        Files.createDirectories(out);
        Files.writeString(out.resolve("agent-live-update.properties"), run.file("measurements.properties"));
        Files.writeString(out.resolve("agent-live-update.txt"), run.file("summary.txt"));
        assertThat(run.exit()).as(run.tail()).isZero();
    }
}
