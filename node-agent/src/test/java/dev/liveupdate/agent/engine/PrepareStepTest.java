package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a plan may prepare this node, which run prepares it, and when the reboot is handed over. */
class PrepareStepTest {
    @TempDir
    Path dir;

    private EngineParts parts;
    private PrepareStep prepare;
    private int kexecs;

    @BeforeEach
    void setUp() throws Exception {
        parts = new EngineParts(dir, Generation.B);
        RebootStep reboot = new RebootStep(parts.ctx, parts.state, () -> kexecs++, parts.outcomes, parts.nodeReport, parts.planCheck);
        prepare = new PrepareStep(parts.ctx, parts.state, parts.sticky, parts.heldRestore, parts.outcomes, reboot, parts.planCheck);
    }

    private LiveUpdateNodeStatus status() {
        return parts.state.status();
    }

    @Test
    void preparesAndRebootsOnlyWhenTheStepSaysRebooted() {
        prepare.prepare(parts.instruction(NodeStep.Prepared), false);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(kexecs).isZero();
        prepare.prepare(parts.instruction(NodeStep.Rebooted), true);
        assertThat(kexecs).isOne();
    }

    @Test
    void aPlanThatAlreadyRebootedThisNodeNeverPreparesAgain() {
        parts.ctx.local.recordReboot(new RebootLedger.Entry("kernel-7-3", "uid-1", 1, "an-earlier-boot", "2025-06-01T09:30:00Z"));
        prepare.prepare(parts.instruction(NodeStep.Rebooted), true);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootAlreadyIssued");
        assertThat(status().getMessage()).contains("an-earlier-boot", "invariant 6");
        assertThat(parts.state.outgoing).isNull();
        assertThat(kexecs).isZero();
    }

    @Test
    void aHeldRestoreKeepsANewPlanFromPreparing() {
        parts.failedRestore("RestoreTimeout");
        NodeInstruction next = parts.instruction(NodeStep.Prepared);
        next.getPlan().setUid("uid-2");
        prepare.prepare(next, false);
        assertThat(status().getReason()).isEqualTo("UnreleasedRestore");
        assertThat(parts.state.outgoing).isNull();
    }

    @Test
    void aNewGenerationReplacesAFailedRunButTheSameGenerationStaysFailed() {
        NodeInstruction first = parts.instruction(NodeStep.Prepared);
        first.getKernel().setImage(dir.resolve("boot/missing").toString());
        prepare.prepare(first, false);
        OutgoingRun failed = parts.state.outgoing;
        assertThat(status().getReason()).isEqualTo("ImageNotFound");

        prepare.prepare(parts.instruction(NodeStep.Prepared), false);
        assertThat(parts.state.outgoing).as("same generation: the failure stands").isSameAs(failed);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);

        NodeInstruction second = parts.instruction(NodeStep.Prepared);
        second.getPlan().setGeneration(2L);
        prepare.prepare(second, false);
        assertThat(parts.state.outgoing).isNotSameAs(failed);
        assertThat(status().getPhase()).isEqualTo(NodePhase.Prepared);
    }
}
