package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.agent.engine.PlanAuthority.Answer;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.Generation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 8, second half: only an instruction of a live plan that selects this node prepares it or kexecs it; the
 * restore after a kexec never asks.
 */
class PlanCheckTest {
    @TempDir
    Path dir;

    private SimNode node(Generation g, FakePlanAuthority plans) throws Exception {
        SimNode node = new SimNode(dir, g);
        node.plans = plans;
        node.boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd("guest memory".getBytes(StandardCharsets.UTF_8)));
        return node;
    }

    private static boolean everReported(SimNode node, NodePhase phase) {
        return node.sink.published.stream().map(LiveUpdateNodeStatus::getPhase).anyMatch(p -> p == phase);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aHandWrittenInstructionIsRefusedAtPreparedAndNamesItsAuthor(Generation g) throws Exception {
        FakePlanAuthority plans = new FakePlanAuthority();
        plans.refuse("no LiveUpdate named kernel-7-3 exists");
        SimNode node = node(g, plans);

        node.instruct(NodeStep.Prepared);
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("InstructionWithoutPlan");
        assertThat(s.getMessage()).contains("kubectl-edit", "kernel-7-3", "uid-1", "no LiveUpdate named kernel-7-3 exists");
        assertThat(s.getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
        assertThat(node.eventLog).anySatisfy(e -> assertThat(e).startsWith("InstructionWithoutPlan: ").contains("kubectl-edit"));

        node.instruct(NodeStep.Rebooted);
        node.engine.tick();
        assertThat(node.kexecs).isZero();
        assertThat(everReported(node, NodePhase.Preparing)).isFalse();
        assertThat(everReported(node, NodePhase.Rebooting)).isFalse();
        assertThat(node.sink.last().getReason()).isEqualTo("InstructionWithoutPlan");
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aPlanDeletedBetweenPreparedAndRebootedGetsNoKexec(Generation g) throws Exception {
        FakePlanAuthority plans = new FakePlanAuthority();
        SimNode node = node(g, plans);
        node.instruct(NodeStep.Prepared);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);

        plans.refuse("no LiveUpdate named kernel-7-3 exists");
        node.instruct(NodeStep.Rebooted);
        node.engine.tick();
        assertThat(node.kexecs).isZero();
        assertThat(everReported(node, NodePhase.Rebooting)).isFalse();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("InstructionWithoutPlan");
        assertThat(node.sink.last().getMessage()).contains("refusing the kexec");
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aNodeNoLongerSelectedRightBeforeTheKexecIsNotRebooted(Generation g) throws Exception {
        // The plan is live when the reboot starts, and stops selecting the node during the Rebooting write: the
        // fresh question right before the kexec catches it.
        AtomicInteger rebootedAsked = new AtomicInteger();
        FakePlanAuthority plans = new FakePlanAuthority() {
            @Override
            public Answer confirm(NodeInstruction i) {
                return i.getStep() == NodeStep.Rebooted && rebootedAsked.incrementAndGet() > 1
                        ? Answer.refused("LiveUpdate kernel-7-3 no longer selects node node-1", "liveupdate-operator")
                        : Answer.confirmed("liveupdate-operator");
            }
        };
        SimNode node = node(g, plans);
        node.instruct(NodeStep.Prepared);
        node.instruct(NodeStep.Rebooted);
        assertThat(node.kexecs).isZero();
        assertThat(rebootedAsked.get()).isEqualTo(2);
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("InstructionWithoutPlan");
        assertThat(s.getMessage()).contains("no longer selects node node-1");
        assertThat(s.getBlackout()).isNull();
        assertThat(node.engine.status().getBlackout()).isNull();
        node.engine.tick();
        assertThat(node.kexecs).isZero();
    }

    @Test
    void anUnreachableApiServerMeansWaitNeverGoAhead() throws Exception {
        FakePlanAuthority plans = new FakePlanAuthority();
        plans.unreachable();
        SimNode node = node(Generation.B, plans);
        node.instruct(NodeStep.Rebooted);
        assertThat(everReported(node, NodePhase.Preparing)).isFalse();
        assertThat(node.sink.last().getMessage()).contains("waiting to confirm plan kernel-7-3", "connection refused");

        // Not asked again on every reconcile while unconfirmed, only after a pause.
        int asked = plans.asked.size();
        node.engine.tick();
        assertThat(plans.asked).hasSize(asked);
        node.clock.advance(PlanCheck.RETRY_AFTER.plus(Duration.ofSeconds(1)));
        plans.confirm();
        assertThatThrownBy(() -> node.engine.tick()).isInstanceOf(SimNode.KexecHappened.class);
        assertThat(node.kexecs).isEqualTo(1);
    }

    @Test
    void anUnconfirmedPlanRightBeforeTheKexecKeepsTheNodePrepared() throws Exception {
        FakePlanAuthority plans = new FakePlanAuthority();
        SimNode node = node(Generation.A, plans);
        node.instruct(NodeStep.Prepared);
        plans.unreachable();
        node.instruct(NodeStep.Rebooted);
        assertThat(node.kexecs).isZero();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(node.sink.last().getMessage()).contains("before the kexec");
        assertThat(everReported(node, NodePhase.Rebooting)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void theRestoreNeverAsksAndFinishesWithThePlanGone(Generation g) throws Exception {
        FakePlanAuthority plans = new FakePlanAuthority();
        SimNode node = node(g, plans);
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);

        plans.refuse("no LiveUpdate named kernel-7-3 exists");
        int asked = plans.asked.size();
        node.boot(); // the new kernel's agent; the plan was deleted meanwhile
        int fd = node.engine.retrieve(ROOT, "vm", 1);
        assertThat(new String(node.read(fd), StandardCharsets.UTF_8)).isEqualTo("guest memory");
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Updated);
        node.instruct(NodeStep.Finished);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
        assertThat(node.sink.last().getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
        assertThat(plans.asked).hasSize(asked);
    }
}
