package dev.liveupdate.luo.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.testing.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kexec scenarios as a real agent lives them: stage 1 in one JVM preserves memfds and kexecs
 * (the simulated kernel ends that process), stage 2 in a second JVM finds the new boot and checks
 * the data byte for byte. Both run ConformanceMain unchanged.
 */
class SimulatedKexecTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Generation.class)
    void dataSurvivesTheKexecAcrossProcesses(Generation generation) throws Exception {
        String stateDir = temp.resolve("machine").toString();
        String handoff = temp.resolve("handoff").toString();

        ChildJvm.Outcome stage1 = ChildJvm.run(ConformanceMain.class, "--backend", "sim", "--generation",
                generation.name(), "--state-dir", stateDir, "--stage", "kexec-1", "--handoff", handoff);
        assertThat(stage1.status()).as(stage1.output()).isEqualTo(SimulatedKernel.KEXEC_EXIT_STATUS);
        assertThat(stage1.output()).doesNotContain("FAIL ").containsPattern("(?m)^\\d+ passed, 0 failed$");

        ChildJvm.Outcome stage2 = ChildJvm.run(ConformanceMain.class, "--backend", "sim", "--generation",
                generation.name(), "--state-dir", stateDir, "--stage", "kexec-2", "--handoff", handoff);
        assertThat(stage2.status()).as(stage2.output()).isZero();
        assertThat(stage2.output()).doesNotContain("FAIL ")
                .contains("PASS kexec: one session with one memfd (after kexec)")
                .contains("PASS kexec: several sessions with several memfds (incl. empty, caller fd closed) (after kexec)")
                .contains("PASS kexec: boot ID changes, release is the loaded kernel's (after kexec)")
                .containsPattern("(?m)^\\d+ passed, 0 failed$");
    }
}
