package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent dies at every step boundary and a new agent process starts over the same simulated
 * machine and host state dir. Whatever happens: never two reboots for one plan, never FINISH before
 * the restore, and sessions that died with a process are reported as lost.
 */
class RestartSafetyTest {
    @TempDir
    Path dir;

    private static byte[] bytes() {
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) 7);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashBeforeAnyPlanLosesNothingButRegistrations(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).isNotEqualTo(NodePhase.Failed);
        assertThat(node.engine.status(ROOT, null).files()).isEmpty(); // the workload must register again
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashWhilePreparingStartsThePreparationOver(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.instruct(NodeStep.Prepared); // sessions created, waiting for the workload
        node.crash();
        node.boot();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(s.getPrepareRestarts()).isEqualTo(1);
        assertThat(s.getMessage()).isEqualTo("waiting for workloads: vm (0 of 1 files) (again, after agent restart 1 of at most 3)");
        assertThat(s.getLastUpdate()).as("no failure recorded").isNull();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashAfterPreparedRebootsOnlyOnceTheWorkloadHandedItsFileOverAgain(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        int memfd = node.memfd(bytes());
        node.engine.preserve(ROOT, "vm", 1, memfd);
        node.instruct(NodeStep.Prepared);
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Preparing);
        node.instruct(NodeStep.Rebooted);
        node.engine.tick();
        // Invariant 1 on the re-prepared set: the new session holds nothing yet, so no reboot.
        assertThat(node.kexecs).isZero();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(node.sink.last().getMessage()).contains("waiting for workloads: vm (0 of 1 files)");
        // The workload still holds its memory and registers again: prepared, then the one reboot.
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 1, memfd)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        assertThat(node.engine.retrieve(ROOT, "vm", 1)).isNotNegative();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Updated);
        assertThat(node.kexecs).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void killedRightAfterTheApiServerStoredRebootingStartsOverBecauseNoRebootWasRecorded(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.crash();
        node.sim = dev.liveupdate.luo.sim.SimulatedKernel.builder(node.simDir, g).build();
        // The sandbox's kill-agent=NODE@Rebooting: the process ends once the API server has Rebooting, before the
        // reboot is recorded on the host disk (update.json, reboots.json) and before reboot(KEXEC).
        node.engine = new StepEngine(node.settings(), node.sim, node.sim.hostInfo(), Kexec.through(node.sim),
                new HaltAfterPhase(node.sink, NodePhase.Rebooting, code -> {
                    throw new Killed();
                }), EventSink.NONE, node.clock, PlanAuthority.STANDALONE);
        node.engine.start(node.sink.last());
        int memfd = node.memfd(bytes());
        node.engine.preserve(ROOT, "vm", 1, memfd);
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(Killed.class);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Rebooting);
        String boot = node.bootId();
        node.crash();
        node.boot();
        assertThat(node.bootId()).isEqualTo(boot);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(node.sink.last().getBlackout()).isNull();
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 1, memfd)).isInstanceOf(SimNode.KexecHappened.class);
        assertThat(node.kexecs).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void restartsBeyondThePlansBoundFailTheNodeWithAReasonAndNeverReboot(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = node.planInstruction(NodeStep.Rebooted, SimNode.session("vm", true, 1, null));
        i.setMaxPrepareRestarts(1);
        node.instruct(NodeStep.Rebooted, i);
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Preparing);
        node.crash();
        node.boot();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo(PrepareRestarts.EXCEEDED);
        assertThat(s.getMessage()).contains("restarted 2 times", "maxPrepareRestarts is 1");
        assertThat(s.getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.engine.tick();
        assertThat(node.kexecs).isZero();
        assertThat(node.sink.last().getReason()).isEqualTo(PrepareRestarts.EXCEEDED);
    }

    /** Ends the agent's thread the way a SIGKILL ends the process: past every catch of Exception. */
    static final class Killed extends Error {
        Killed() {
            super("fault injection: agent killed");
        }
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashBetweenRebootDecisionAndKexecNeverRebootsAgain(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g);
        node.boot();
        // This agent "dies" inside the kexec call: the ledger and status are written, the kexec never happens.
        StepEngine crashing = new StepEngine(node.settings(), node.sim, node.sim.hostInfo(),
                () -> {
                    throw new IllegalStateException("agent killed right before reboot()");
                }, node.sink, EventSink.NONE, node.clock, PlanAuthority.STANDALONE);
        node.crash();
        node.sim = dev.liveupdate.luo.sim.SimulatedKernel.builder(node.simDir, g).build();
        crashing = new StepEngine(node.settings(), node.sim, node.sim.hostInfo(),
                () -> {
                    throw new IllegalStateException("agent killed right before reboot()");
                }, node.sink, EventSink.NONE, node.clock, PlanAuthority.STANDALONE);
        crashing.start(node.sink.last());
        node.engine = crashing;
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).hasMessageContaining("killed");
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Rebooting);
        String boot = node.bootId();
        node.crash();
        node.boot();
        assertThat(node.bootId()).isEqualTo(boot);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("RebootNotCompleted");
        node.engine.tick();
        node.instruct(NodeStep.Rebooted);
        assertThat(node.kexecs).isZero();
        assertThat(node.bootId()).isEqualTo(boot);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashWhileRestoringReportsLossAndNeverFinishes(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Restoring);
        node.crash(); // dies holding the retrieved session; its files go with it
        node.boot();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("SessionsLost");
        node.instruct(NodeStep.Finished);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Updated); // no FINISH
        }
        assertThatThrownBy(() -> node.engine.retrieve(ROOT, "vm", 1))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOST));
        assertThat(node.kexecs).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashAfterTheWorkloadTookItsFilesStillFinishes(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        byte[] content = bytes();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(content));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        int workloadFd = node.engine.retrieve(ROOT, "vm", 1);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Updated);
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).as(node.sink.last().getReason() + ": " + node.sink.last().getMessage()).isEqualTo(NodePhase.Updated);
        node.instruct(NodeStep.Finished);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
        assertThat(node.read(workloadFd)).isEqualTo(content);
        // After FINISH, another restart: still Finished, no second reboot, nothing lost.
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
        String boot = node.bootId();
        node.instruct(NodeStep.Rebooted);
        assertThat(node.kexecs).isEqualTo(1);
        assertThat(node.bootId()).isEqualTo(boot);
    }

    /**
     * Found by the protocol simulation: the agent handed out the fd for the socket and died before the send. The file
     * never reached the workload, so it must not count as reclaimed: the restarted agent reports it lost, not Updated.
     */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void crashBetweenHandingOutAFileAndSendingItDoesNotCountItReclaimed(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        node.engine.retrieveToSend(ROOT, "vm", 1);
        assertThat(node.sink.last().getPhase()).as("not delivered yet").isEqualTo(NodePhase.Restoring);
        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("SessionsLost");
        node.instruct(NodeStep.Finished);
        assertThat(node.sink.last().getPhase()).as("no FINISH over a file the workload never got").isEqualTo(NodePhase.Failed);
    }

    /** Through the kexec with the workload's file taken back: Updated, ready for FINISH. The next process gets these calls. */
    private static SimNode updatedAndReclaimed(SimNode node, java.util.function.UnaryOperator<KernelCalls> calls) throws Exception {
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared);
        node.calls = calls;
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        node.engine.retrieve(ROOT, "vm", 1);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Updated);
        return node;
    }

    /** FINISH refused with an errno: Failed FinishFailed, nothing recorded; a restarted agent retries it instead of claiming Finished. */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void aFinishTheKernelRefusedIsRetriedAfterARestartNotReportedFinished(Generation g) throws Exception {
        SimNode node = updatedAndReclaimed(new SimNode(dir, g).boot(), c -> new FinishFault(c, g, FinishFault.Mode.ERRNO));
        node.instruct(NodeStep.Finished);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("FinishFailed");
        assertThat(node.sink.last().getMessage()).contains("EBUSY");
        assertThat(node.sink.last().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
        assertThat(new LocalState(node.agentDir).restore()).get()
                .satisfies(r -> assertThat(r.finishIssuedAt()).as("no FINISH on record").isNull());
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Updated);
        }

        node.crash();
        node.calls = c -> c;
        node.boot();
        assertThat(node.sink.last().getPhase()).as("FINISH is still owed: %s", node.sink.last().getMessage()).isEqualTo(NodePhase.Finished);
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).as("the restarted agent sent FINISH").isEqualTo(DeviceState.Normal);
        }
        // The node is free for the next plan (A: the device is NORMAL again, no DeviceNotNormal).
        node.clearInstruction();
        var next = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null));
        next.getPlan().setUid("uid-2");
        node.engine.preserve(ROOT, "vm", 2, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared, next);
        assertThat(node.sink.last().getPhase()).as("%s: %s", node.sink.last().getReason(), node.sink.last().getMessage())
                .isEqualTo(NodePhase.Prepared);
    }

    /** FINISH done in the kernel, then the agent dies before recording it: the restart ends Finished, FINISH is not owed. */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void aCrashBetweenFinishAndItsRecordStillEndsFinished(Generation g) throws Exception {
        SimNode node = updatedAndReclaimed(new SimNode(dir, g).boot(), c -> new FinishFault(c, g, FinishFault.Mode.DIE_AFTER));
        assertThatThrownBy(() -> node.instruct(NodeStep.Finished)).isInstanceOf(FinishFault.AgentDied.class);
        node.crash();
        node.calls = c -> c;
        node.boot();
        assertThat(node.sink.last().getPhase()).as("%s: %s", node.sink.last().getReason(), node.sink.last().getMessage())
                .isEqualTo(NodePhase.Finished);
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Normal);
        }
        assertThat(node.kexecs).isEqualTo(1);
    }

    /**
     * Generation A, the same crash with a session the plan let go after its restore timeout (onTimeout Discard): the
     * device left UPDATED after this boot's agent retrieved, which only FINISH does, so the restart reports Finished
     * rather than guessing that the discarded session's files were lost.
     */
    @org.junit.jupiter.api.Test
    void onGenerationATheDeviceTellsARestartThatFinishHappened() throws Exception {
        SimNode node = new SimNode(dir, Generation.A).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.engine.preserve(ROOT, "scratch", 1, node.memfd(bytes()));
        var plan = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null), SimNode.session("scratch", true, 1,
                SimNode.restore(dev.liveupdate.api.v1alpha1.RestoreRule.AllTokensReclaimed, "1m", dev.liveupdate.api.v1alpha1.RestoreTimeoutAction.Discard)));
        node.instruct(NodeStep.Prepared, plan);
        node.calls = c -> new FinishFault(c, Generation.A, FinishFault.Mode.DIE_AFTER);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted, plan)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        node.engine.retrieve(ROOT, "vm", 1);
        node.clock.advance(java.time.Duration.ofMinutes(2));
        assertThatThrownBy(() -> node.instruct(NodeStep.Finished, plan)).isInstanceOf(FinishFault.AgentDied.class);

        node.crash();
        node.calls = c -> c;
        node.boot();
        assertThat(node.sink.last().getPhase()).as("%s: %s", node.sink.last().getReason(), node.sink.last().getMessage())
                .isEqualTo(NodePhase.Finished);
        assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Normal);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aNewPlanGenerationAfterTheUpdateNeverRebootsAgain(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(bytes()));
        node.instruct(NodeStep.Prepared);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        node.engine.retrieve(ROOT, "vm", 1);
        node.instruct(NodeStep.Finished);
        node.clearInstruction();
        var again = node.planInstruction(NodeStep.Rebooted, SimNode.session("vm", true, 0, null));
        again.getPlan().setGeneration(2L);
        node.instruct(NodeStep.Rebooted, again);
        node.engine.tick();
        assertThat(node.kexecs).isEqualTo(1);
        assertThat(node.sink.last().getPhase()).isNotIn(NodePhase.Rebooting, NodePhase.Preparing, NodePhase.Prepared);
    }
}
