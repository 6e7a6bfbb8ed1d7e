package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a reported Failed/Finished/Cancelled stands for the instruction seen again. */
class StickyPhaseTest {
    @TempDir
    Path dir;

    private EngineParts parts;

    @BeforeEach
    void failedForGenerationOne() throws Exception {
        parts = new EngineParts(dir, Generation.B);
        parts.state.reporter.phase(EngineParts.plan("uid-1", 1L), NodePhase.Failed, "PrepareTimeout", "test");
    }

    @Test
    void aFailureStandsForTheSameGenerationOnly() {
        assertThat(parts.sticky.failure(EngineParts.plan("uid-1", 1L))).isTrue();
        assertThat(parts.sticky.failure(EngineParts.plan("uid-1", 2L))).as("a new generation tries again").isFalse();
        assertThat(parts.sticky.failure(EngineParts.plan("uid-2", 1L))).as("another plan").isFalse();
    }

    @Test
    void aFailureStandsForEveryGenerationOnceThePlanRebootedTheNode() {
        parts.ctx.local.recordReboot(new RebootLedger.Entry("kernel-7-3", "uid-1", 1, "an-earlier-boot", "2025-06-01T09:30:00Z"));
        assertThat(parts.sticky.failure(EngineParts.plan("uid-1", 2L))).isTrue();
    }

    @Test
    void aLivePreparationOfThePlanIsNotHeldBackByAnOldFailure() {
        parts.state.outgoing = new OutgoingRun(parts.ctx, parts.instruction(NodeStep.Prepared));
        assertThat(parts.sticky.failure(EngineParts.plan("uid-1", 1L))).isFalse();
        parts.state.outgoing.fail("PrepareTimeout", "test");
        assertThat(parts.sticky.failure(EngineParts.plan("uid-1", 1L))).isTrue();
    }

    @Test
    void anOutcomeStandsForThePlanWhateverTheGeneration() {
        assertThat(parts.sticky.outcome(EngineParts.plan("uid-1", 5L), NodePhase.Failed)).isTrue();
        assertThat(parts.sticky.outcome(EngineParts.plan("uid-1", 1L), NodePhase.Finished)).isFalse();
        assertThat(parts.sticky.outcome(EngineParts.plan("uid-2", 1L), NodePhase.Failed)).isFalse();
    }
}
