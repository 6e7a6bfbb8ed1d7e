package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoState;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished for a plan this agent has no restore of: release what was staged, never FINISH without proof (invariant 3). */
class FinishStepTest {
    @TempDir
    Path dir;

    private EngineParts parts;
    private FinishStep finish;
    private NodeInstruction i;

    @BeforeEach
    void setUp() throws Exception {
        parts = new EngineParts(dir, Generation.A);
        finish = new FinishStep(parts.ctx, parts.state, parts.sticky);
        i = parts.instruction(NodeStep.Finished);
    }

    private LiveUpdateNodeStatus status() {
        return parts.state.status();
    }

    @Test
    void aPreparedNodeThatNeverRebootedIsReleasedAndFinished() {
        parts.state.outgoing = new OutgoingRun(parts.ctx, parts.instruction(NodeStep.Prepared));
        parts.state.outgoing.advance();
        assertThat(parts.ctx.device.device().state()).isEqualTo(LuoState.PREPARED);

        finish.finishWithoutUpdate(i);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Finished);
        assertThat(status().getReason()).isEqualTo("NotRebooted");
        assertThat(parts.state.outgoing).isNull();
        assertThat(parts.ctx.local.update()).isEmpty();
        assertThat(parts.ctx.device.device().state()).isEqualTo(LuoState.NORMAL);
    }

    @Test
    void aRebootIntoAnotherBootWithoutItsRestoreRecordIsNeverFinished() {
        parts.ctx.local.recordReboot(new RebootLedger.Entry("kernel-7-3", "uid-1", 1, "an-earlier-boot", "2025-06-01T09:30:00Z"));
        finish.finishWithoutUpdate(i);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RestoreStateLost");
        assertThat(status().getMessage()).contains("invariant 3");
    }

    @Test
    void aRebootIssuedInThisBootThatNeverHappenedDoesNotBlockFinished() {
        parts.ctx.local.recordReboot(new RebootLedger.Entry("kernel-7-3", "uid-1", 1, parts.ctx.bootId, "2025-06-01T09:30:00Z"));
        finish.finishWithoutUpdate(i);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Finished);
    }

    @Test
    void aReportedFailureOfThePlanStaysButWhatWasStagedIsReleased() {
        parts.state.outgoing = new OutgoingRun(parts.ctx, parts.instruction(NodeStep.Prepared));
        parts.state.outgoing.advance();
        parts.state.reporter.phase(i.getPlan(), NodePhase.Failed, "RebootRefused", "test");

        finish.finishWithoutUpdate(i);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootRefused");
        assertThat(parts.state.outgoing).isNull();
        assertThat(parts.ctx.device.device().state()).isEqualTo(LuoState.NORMAL);
    }
}
