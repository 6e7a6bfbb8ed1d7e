package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed restore's files stay in the kernel until a person releases them; meanwhile no new update. */
class HeldRestoreTest {
    @TempDir
    Path dir;

    private EngineParts parts;
    private HeldRestore held;

    @BeforeEach
    void setUp() throws Exception {
        parts = new EngineParts(dir, Generation.A);
        held = parts.heldRestore;
    }

    private LiveUpdateNodeStatus status() {
        return parts.state.status();
    }

    @Test
    void holdsOnlyWhileTheRestoreAfterThisBootsKexecHasFailed() {
        assertThat(held.holds()).as("no restore in this boot").isFalse();
        IncomingRun incoming = parts.failedRestore("RestoreTimeout");
        assertThat(held.holds()).isTrue();
        incoming.phase = NodePhase.Restoring;
        assertThat(held.holds()).as("still restoring").isFalse();
    }

    @Test
    void theConditionAppearsOnlyOnceSomethingWasHeldAndSaysHowToRelease() {
        held.report();
        assertThat(status().getConditions()).as("never held: no condition at all").isNull();

        IncomingRun incoming = parts.failedRestore("RestoreTimeout");
        held.report();
        assertThat(status().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo(StepEngine.HELD_RESTORE);
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("RestoreTimeout");
            assertThat(c.getMessage()).contains("kubectl annotate lun node-1 liveupdate.dev/discard-unrestored=uid-1");
        });

        incoming.phase = NodePhase.Finished;
        held.report();
        assertThat(status().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Released");
        });
    }

    @Test
    void aRequestNamingAnotherPlanIsIgnoredWithOneWarningNotOnePerReconcile() {
        IncomingRun incoming = parts.failedRestore("RestoreTimeout");
        held.requestDiscard("uid-9");
        held.discardIfRequested();
        held.discardIfRequested();
        assertThat(parts.events).singleElement().asString().startsWith("DiscardIgnored: ").contains("uid-9", "uid-1");
        assertThat(incoming.phase).isEqualTo(NodePhase.Failed);
        assertThat(parts.ctx.local.update()).isPresent();
    }

    @Test
    void aBlankRequestIsNoRequest() {
        IncomingRun incoming = parts.failedRestore("RestoreTimeout");
        held.requestDiscard("  ");
        held.discardIfRequested();
        assertThat(parts.events).isEmpty();
        assertThat(incoming.phase).isEqualTo(NodePhase.Failed);
    }

    @Test
    void aRequestNamingTheFailedPlanFinishesItAndForgetsTheUpdate() {
        IncomingRun incoming = parts.failedRestore("SessionsLost");
        held.requestDiscard(" uid-1 ");
        held.discardIfRequested();
        assertThat(incoming.phase).isEqualTo(NodePhase.Finished);
        assertThat(incoming.discardedAfter.reason()).isEqualTo("SessionsLost");
        assertThat(incoming.discarded).containsExactly("vm");
        assertThat(parts.ctx.local.update()).isEmpty();
        assertThat(parts.ctx.local.restore()).isEmpty();
        assertThat(parts.events).singleElement().asString().startsWith("DiscardedOnRequest: ").contains("after SessionsLost");
        assertThat(held.holds()).isFalse();
    }

    @Test
    void aNewPlanIsRefusedWhileHeldAndItsOutcomeWrittenOnce() {
        parts.failedRestore("RestoreTimeout");
        assertThat(held.refusesNewUpdate(EngineParts.plan("uid-2", 1L))).isTrue();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("UnreleasedRestore");
        assertThat(status().getMessage()).contains("another kexec would destroy them", "discard-unrestored=uid-1");
        String firstRefusal = status().getLastUpdate().getCompletedAt();
        assertThat(status().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);

        parts.clock.advance(Duration.ofMinutes(1));
        assertThat(held.refusesNewUpdate(EngineParts.plan("uid-2", 1L))).isTrue();
        assertThat(status().getLastUpdate().getCompletedAt()).as("the same refusal, not a new outcome").isEqualTo(firstRefusal);
    }

    @Test
    void nothingIsRefusedWhenNothingIsHeldOrThisBootAlreadyPrepares() {
        assertThat(held.refusesNewUpdate(EngineParts.plan("uid-2", 1L))).isFalse();
        parts.failedRestore("RestoreTimeout");
        parts.state.outgoing = new OutgoingRun(parts.ctx, parts.instruction(NodeStep.Prepared));
        assertThat(held.refusesNewUpdate(EngineParts.plan("uid-1", 1L))).isFalse();
        assertThat(status().getPhase()).isNull();
    }

    @Test
    void idleSaysWhatIsStillHeld() {
        assertThat(held.reportsIdle()).isFalse();
        assertThat(status().getPhase()).isNull();
        parts.failedRestore("RestoreTimeout");
        assertThat(held.reportsIdle()).isTrue();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Idle);
        assertThat(status().getReason()).isEqualTo("UnreleasedRestore");
        assertThat(status().getPlan()).isNull();
    }
}
