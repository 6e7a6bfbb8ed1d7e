package dev.liveupdate.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.conformance.KexecScenario;
import dev.liveupdate.luo.conformance.Scenario;
import dev.liveupdate.luo.conformance.Scenarios;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The luo-kernel conformance suite inside the QEMU guest against the real /dev/liveupdate, through
 * the project's own JNA code: every generation-B scenario must report PASS, the single-process
 * ones and both halves of every kexec scenario (qemu/conformance/run.sh).
 */
class ConformanceIT {
    @BeforeAll
    static void images() throws Exception {
        QemuScript.ensureGuestImages();
    }

    @Test
    void everyGenerationBScenarioPassesOnTheRealKernel() throws Exception {
        QemuScript.Run run = QemuScript.run("conformance", Duration.ofMinutes(60), "qemu/conformance/run.sh", "--timeout", "3000");
        assertThat(run.dir()).as(run.tail()).isNotNull();
        List<String> results = run.file("results.txt").lines().toList();
        System.out.println(run.file("summary.txt"));
        assertThat(results).as("scenario lines").noneMatch(l -> l.startsWith("FAIL "));
        for (Scenario s : Scenarios.single(Generation.B)) {
            assertThat(results).as(run.tail()).contains("PASS " + s.name());
        }
        for (KexecScenario s : Scenarios.kexec(Generation.B)) {
            assertThat(results).as(run.tail()).contains("PASS " + s.name() + " (before kexec)", "PASS " + s.name() + " (after kexec)");
        }
        assertThat(results).contains("PASS load the target kernel with kexec_file_load", "PASS kexec: same generation in the new kernel",
                "PASS B: kexec: FINISH on every retrieved session");
        assertThat(results.stream().filter(l -> l.matches("\\d+ passed, 0 failed"))).hasSize(3);
        assertThat(run.exit()).as(run.tail()).isZero();
    }
}
