package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.FreezePolicy;
import dev.liveupdate.api.v1alpha1.FreezeTimeoutAction;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reboot's preconditions (invariants 1 and 6) and its order: acknowledged status, then the durable record and
 * ledger, then the kexec. The kexec here only records what was true when it was called, and returns.
 */
class RebootStepTest {
    @TempDir
    Path dir;

    private EngineParts parts;
    private final List<String> kexecs = new ArrayList<>();
    private RuntimeException kexecFailure;

    private NodeInstruction prepared(Generation g) throws Exception {
        parts = new EngineParts(dir, g);
        NodeInstruction i = parts.instruction(NodeStep.Rebooted);
        parts.state.outgoing = new OutgoingRun(parts.ctx, i);
        parts.state.outgoing.advance();
        assertThat(parts.state.outgoing.phase).isEqualTo(NodePhase.Prepared);
        return i;
    }

    private RebootStep step() {
        return new RebootStep(parts.ctx, parts.state, () -> {
            LiveUpdateNodeStatus acknowledged = parts.sink.last();
            kexecs.add("acknowledged " + (acknowledged == null ? null : acknowledged.getPhase())
                    + ", record " + parts.ctx.local.update().map(UpdateRecord::rebootIssuedAt).orElse(null)
                    + ", ledger " + parts.ctx.local.ledger().rebootedFor("uid-1"));
            if (kexecFailure != null) {
                throw kexecFailure;
            }
        }, parts.outcomes, parts.nodeReport, parts.planCheck);
    }

    private LiveUpdateNodeStatus status() {
        return parts.state.status();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void theKexecComesAfterTheAcknowledgedStatusTheRecordAndTheLedgerAndOnlyOnce(Generation g) throws Exception {
        NodeInstruction i = prepared(g);
        RebootStep reboot = step();
        reboot.reboot(i);
        assertThat(kexecs).containsExactly("acknowledged Rebooting, record 2025-06-01T10:00:00Z, ledger true");

        // The simulated kexec returned: the node did not reboot, and it is not tried again for this plan.
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootFailed");
        assertThat(status().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
        reboot.reboot(i);
        assertThat(kexecs).hasSize(1);
        assertThat(status().getReason()).isEqualTo("RebootAlreadyIssued");
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aKernelChangedAfterThePreparationIsRefused(Generation g) throws Exception {
        prepared(g);
        NodeInstruction changed = parts.instruction(NodeStep.Rebooted);
        changed.getKernel().setRelease("7.4.0-other");
        step().reboot(changed);
        assertThat(kexecs).isEmpty();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootRefused");
        assertThat(status().getMessage()).contains("the plan's kernel changed after the node was prepared");
        assertThat(status().getLastUpdate().getReason()).isEqualTo("RebootRefused");
        assertThat(parts.ctx.local.ledger().rebootedFor("uid-1")).isFalse();
    }

    @Test
    void aDeviceNoLongerPreparedIsRefused() throws Exception {
        NodeInstruction i = prepared(Generation.A);
        parts.ctx.device.device().cancel();
        step().reboot(i);
        assertThat(kexecs).isEmpty();
        assertThat(status().getMessage()).contains("the LUO device is " + LuoState.NORMAL + ", not PREPARED");
    }

    @Test
    void noAcknowledgementNoRebootAndNothingRecorded() throws Exception {
        NodeInstruction i = prepared(Generation.B);
        parts.sink.refuseAcknowledged = true;
        step().reboot(i);
        assertThat(kexecs).isEmpty();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(status().getMessage()).contains("acknowledge");
        assertThat(status().getBlackout()).isNull();
        assertThat(parts.ctx.local.ledger().rebootedFor("uid-1")).isFalse();
        assertThat(parts.ctx.local.update()).get().extracting(UpdateRecord::rebootIssuedAt).isNull();
    }

    @Test
    void aKernelThatRefusesTheKexecLeavesTheSessionsHeldAndIsNotRetried() throws Exception {
        NodeInstruction i = prepared(Generation.B);
        kexecFailure = new ErrnoException(Errno.EPERM, "reboot");
        RebootStep reboot = step();
        reboot.reboot(i);
        assertThat(kexecs).hasSize(1);
        assertThat(status().getReason()).isEqualTo("RebootFailed");
        assertThat(status().getMessage()).contains("reboot(KEXEC) failed", "The sessions are still held");
        reboot.reboot(i);
        assertThat(kexecs).hasSize(1);
    }

    private static FreezePolicy freeze(String timeout, FreezeTimeoutAction onTimeout) {
        FreezePolicy p = new FreezePolicy();
        p.setTimeout(timeout);
        p.setOnTimeout(onTimeout);
        return p;
    }

    @Test
    void aSubscriberThatMissesTheFreezeDeadlineAbortsTheRebootAndIsThawed() throws Exception {
        NodeInstruction i = prepared(Generation.A);
        i.setFreeze(freeze("200ms", null)); // onTimeout absent: Abort
        RecordingSubscriber late = new RecordingSubscriber("pod late", n -> { });
        parts.ctx.notices.add(late);

        step().reboot(i);

        assertThat(kexecs).isEmpty();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("FreezeTimeout");
        assertThat(status().getMessage()).contains("pod late", "The sessions are still held");
        assertThat(status().getLastUpdate().getReason()).isEqualTo("FreezeTimeout");
        assertThat(parts.ctx.local.ledger().rebootedFor("uid-1")).isFalse();
        assertThat(parts.ctx.device.device().state()).isEqualTo(LuoState.PREPARED); // nothing released: the plan decides
        assertThat(late.kinds()).containsExactly(Notice.FREEZE, Notice.THAWED);
        assertThat(late.received.get(1).text("reason")).isEqualTo("FreezeTimeout");
    }

    @Test
    void proceedRebootsDespiteAMissedDeadlineAndTheBlackoutSaysSo() throws Exception {
        NodeInstruction i = prepared(Generation.B);
        i.setFreeze(freeze("200ms", FreezeTimeoutAction.Proceed));
        parts.ctx.notices.add(new RecordingSubscriber("pod late", n -> { }));

        step().reboot(i);

        assertThat(kexecs).hasSize(1);
        Blackout b = parts.sink.last().getBlackout();
        assertThat(b.getFreezeMillis()).isGreaterThanOrEqualTo(200L);
        assertThat(b.getFreezeStartedAt()).isNotNull();
        assertThat(b.getFreezeResult()).contains("pod late", "onTimeout Proceed");
    }

    @Test
    void acknowledgedFreezeComesBeforeTheRebootingStatusAndAFailedKexecThaws() throws Exception {
        NodeInstruction i = prepared(Generation.B);
        List<String> order = new ArrayList<>();
        RecordingSubscriber[] self = new RecordingSubscriber[1];
        self[0] = new RecordingSubscriber("pod vmm", n -> {
            order.add(n.kind() + " while the API server has " + (parts.sink.last() == null ? null : parts.sink.last().getPhase()));
            if (n.kind().equals(Notice.FREEZE)) {
                parts.ctx.notices.acked(self[0], n.id());
            }
        });
        parts.ctx.notices.add(self[0]);

        step().reboot(i);

        assertThat(kexecs).hasSize(1);
        assertThat(order).hasSize(2);
        assertThat(order.get(0)).startsWith("freeze").doesNotContain("Rebooting");
        assertThat(order.get(1)).startsWith("thawed"); // the simulated kexec returned
        assertThat(parts.sink.last().getBlackout().getFreezeResult()).contains("all 1 subscriber(s) acknowledged");
    }

    @Test
    void withoutSubscribersTheBlackoutHasNoFreeze() throws Exception {
        NodeInstruction i = prepared(Generation.A);
        step().reboot(i);
        assertThat(kexecs).hasSize(1);
        assertThat(parts.sink.last().getBlackout().getFreezeStartedAt()).isNull();
        assertThat(parts.sink.last().getBlackout().getFreezeMillis()).isNull();
    }
}
