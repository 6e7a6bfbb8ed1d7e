package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.AbiGeneration;
import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.RestoreRule;
import dev.liveupdate.api.v1alpha1.RestoreTimeoutAction;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each protocol step against the real kernel simulator, for both ABI generations. */
class StepEngineTest {
    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void reportsInventoryWithoutAPlan(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Idle);
        assertThat(s.getInventory().getCapable()).isTrue();
        assertThat(s.getInventory().getAbi()).isEqualTo(g == Generation.A ? AbiGeneration.A : AbiGeneration.B);
        assertThat(s.getInventory().getDeviceState()).isEqualTo(g == Generation.A ? DeviceState.Normal : DeviceState.Undefined);
        assertThat(s.getInventory().getBootID()).isEqualTo(node.bootId());
        assertThat(s.getInventory().getKernelRelease()).isNotBlank();
        assertThat(s.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DeviceReady");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void nodeWithoutLuoSaysSoAndFailsAPlan() throws Exception {
        SimNode node = new SimNode(dir, Generation.B);
        node.luoAvailable = false;
        node.boot();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getInventory().getCapable()).isFalse();
        assertThat(s.getInventory().getAbi()).isEqualTo(AbiGeneration.None);
        assertThat(s.getInventory().getReason()).contains("Live Update Orchestrator");
        assertThat(s.getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("NoLiveUpdateDevice"));
        assertThat(node.engine.deviceSettled()).isTrue();
        node.instruct(NodeStep.Prepared);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("NotCapable");
    }

    @Test
    void busyDeviceIsReportedAndRetriedWithBackoff() throws Exception {
        SimNode other = new SimNode(dir, Generation.B).boot(); // another holder of the same machine's device
        SimNode node = new SimNode(dir, Generation.B).boot();
        assertThat(node.sink.last().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DeviceReady");
            assertThat(c.getReason()).isEqualTo("DeviceBusy");
        });
        assertThat(node.engine.deviceSettled()).isFalse();
        other.crash();
        node.clock.advance(Duration.ofSeconds(1));
        node.engine.tick();
        assertThat(node.engine.deviceSettled()).isTrue();
        assertThat(node.sink.last().getInventory().getCapable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void registrationsBeforeAPlanAreKeptAndReportedAsUnmanaged(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "db", 7, node.memfd(random(100)));
        assertThat(node.sink.last().getUnmanagedRegistrations()).singleElement().satisfies(r -> {
            assertThat(r.getSession()).isEqualTo("db");
            assertThat(r.getFiles()).isEqualTo(1);
        });
        assertThat(node.engine.status(ROOT, "db").file("db", 7)).get().extracting(f -> f.state()).isEqualTo(FileState.Held);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void preparesWhenTheRequiredSessionIsPopulated(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.instruct(NodeStep.Prepared);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(node.sink.last().getMessage()).contains("vm (0 of 1 files)");
        node.engine.preserve(ROOT, "vm", 1, node.memfd(random(4096)));
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(s.getSessions()).singleElement().satisfies(st -> {
            assertThat(st.getState()).isEqualTo(dev.liveupdate.api.v1alpha1.SessionState.Created);
            assertThat(st.getPreservedTokens()).containsExactly(1L);
        });
        if (g == Generation.A) {
            assertThat(s.getInventory().getDeviceState()).isEqualTo(DeviceState.Prepared);
        }
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 2, node.memfd(random(10))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_SEALED));
    }

    @Test
    void generationBPreservesAFileOnceAndSaysSo() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        int fd = node.memfd(random(64));
        node.engine.preserve(ROOT, "vm", 1, fd);
        node.engine.preserve(ROOT, "vm", 2, fd); // the same memfd again: held twice by the agent, one kernel file
        node.instruct(NodeStep.Prepared);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(node.engine.status(ROOT, "vm").file("vm", 1)).get().extracting(f -> f.state()).isEqualTo(FileState.Preserved);
        assertThat(node.engine.status(ROOT, "vm").file("vm", 2)).get().satisfies(f -> {
            assertThat(f.state()).isEqualTo(FileState.Held);
            assertThat(f.detail()).contains("not preserved").contains("preserved once");
        });
        assertThat(OutgoingRun.codeFor(new dev.liveupdate.luo.sys.ErrnoException(dev.liveupdate.luo.sys.Errno.EBUSY, "PRESERVE_FD"), Generation.B))
                .isEqualTo(ErrorCode.FILE_IN_USE);
        assertThat(OutgoingRun.codeFor(new dev.liveupdate.luo.sys.ErrnoException(dev.liveupdate.luo.sys.Errno.EBUSY, "PRESERVE_FD"), Generation.A))
                .isEqualTo(ErrorCode.SESSION_SEALED);
    }

    /** Generation A preserves one memfd under two tokens; minFiles counts it once, and the prepare says why it waits. */
    @Test
    void minFilesCountsAFileHandedOverUnderTwoTokensOnce() throws Exception {
        SimNode node = new SimNode(dir, Generation.A).boot();
        int fd = node.memfd(random(64));
        node.engine.preserve(ROOT, "vm", 1, fd);
        node.engine.preserve(ROOT, "vm", 2, node.sim.dup(fd)); // the same file again, as SCM_RIGHTS would deliver it
        node.instruct(NodeStep.Prepared, node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 2, null)));
        assertThat(node.engine.status(ROOT, "vm").file("vm", 2)).get().extracting(f -> f.state()).isEqualTo(FileState.Preserved);
        LiveUpdateNodeStatus waiting = node.sink.last();
        assertThat(waiting.getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(waiting.getMessage()).contains("vm (1 of 2 files; tokens 1,2 are one file)");

        node.engine.preserve(ROOT, "vm", 3, node.memfd(random(64)));
        LiveUpdateNodeStatus prepared = node.sink.last();
        assertThat(prepared.getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(prepared.getMessage()).contains("vm 2 files (tokens 1,2 are one file)");
    }

    /**
     * A registration made before the plan that the kernel refuses (generation B: the same memfd under a second token) is
     * named in the node's status from the first Preparing report, with its owner and why; the prepare still waits for a
     * good file, and says so at the timeout.
     */
    @Test
    void aRefusedRegistrationIsNamedFromTheFirstReport() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        Peer vmm = new Peer(777, 1000, 1000, new long[] {1000}, dev.liveupdate.agent.handoff.Owner.host(1000, "/"));
        int fd = node.memfd(random(64));
        node.engine.preserve(vmm, "vm", 6, fd);
        node.engine.preserve(vmm, "vm", 7, node.sim.dup(fd)); // held by the agent; the kernel takes a file only once
        node.instruct(NodeStep.Prepared, node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 2, null)));
        LiveUpdateNodeStatus first = node.sink.last();
        assertThat(first.getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(first.getReason()).isEqualTo("RegistrationRefused");
        assertThat(first.getMessage()).contains("vm (1 of 2 files)", "refused registrations: vm/7 from uid 1000", "EBUSY");
        assertThat(node.sink.published).filteredOn(st -> st.getPhase() == NodePhase.Preparing)
                .as("every Preparing report names it").allSatisfy(st -> assertThat(st.getMessage()).contains("vm/7 from uid 1000"));

        node.clock.advance(Duration.ofMinutes(6));
        node.engine.tick();
        LiveUpdateNodeStatus failed = node.sink.last();
        assertThat(failed.getReason()).isEqualTo("PrepareTimeout");
        assertThat(failed.getMessage()).contains("vm/7 from uid 1000", "EBUSY");
    }

    /** A file refused while the node prepares: the workload gets the error and the node's status names it (with its pod) at once. */
    @Test
    void aRegistrationRefusedWhilePreparingIsNamedUntilAGoodFileReplacesIt() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.instruct(NodeStep.Prepared, node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 2, null)));
        assertThat(node.sink.last().getReason()).isNull();
        Peer vmm = SimNode.podPeer(777, 1000, "0b8f3c1e-5d2a-4c7b-9e1f-2a3b4c5d6e7f");
        int fd = node.memfd(random(10));
        node.engine.preserve(vmm, "vm", 6, fd);
        int again = node.sim.dup(fd);
        assertThatThrownBy(() -> node.engine.preserve(vmm, "vm", 7, again))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_IN_USE));
        assertThat(node.sink.last().getReason()).isEqualTo("RegistrationRefused");
        assertThat(node.sink.last().getMessage()).contains("vm/7 from pod 0b8f3c1e-5d2a-4c7b-9e1f-2a3b4c5d6e7f (uid 1000)");

        node.engine.preserve(vmm, "vm", 7, node.memfd(random(10)));
        LiveUpdateNodeStatus prepared = node.sink.last();
        assertThat(prepared.getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(prepared.getReason()).isNull();
        assertThat(prepared.getMessage()).doesNotContain("refused", "not preserved");
    }

    /** Only memfds get in: anything else is refused at the door, before any plan, and the agent keeps nothing of it. */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void onlyMemfdsAreTaken(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        int devnull = node.sim.open("/dev/null", 0);
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 1, devnull))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_PRESERVABLE);
                    assertThat(e.getMessage()).contains("/dev/null", "only memfds");
                });
        assertThat(node.engine.status(ROOT, null).files()).isEmpty();
    }

    @Test
    void prepareFailsWhenWorkloadsDoNotComeInTime() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.instruct(NodeStep.Prepared);
        node.clock.advance(Duration.ofMinutes(6));
        node.engine.tick();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("PrepareTimeout");
        assertThat(node.sink.last().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
    }

    @Test
    void prepareFailsOnMissingImageOrWrongChecksum() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        NodeInstruction i = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null));
        i.getKernel().setImage(node.image.resolveSibling("nope").toString());
        node.instruct(NodeStep.Prepared, i);
        assertThat(node.sink.last().getReason()).isEqualTo("ImageNotFound");
        assertThat(node.sink.last().getMessage()).contains(node.image.resolveSibling("nope").toString());

        SimNode other = new SimNode(dir.resolve("second"), Generation.B).boot();
        NodeInstruction j = other.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null));
        j.getPlan().setUid("uid-2");
        j.getKernel().setSha256("0".repeat(64));
        other.instruct(NodeStep.Prepared, j);
        assertThat(other.sink.last().getReason()).isEqualTo("ImageChecksumMismatch");
        assertThat(other.sink.last().getMessage()).contains(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(other.image))));
    }

    /** Invariant 11 through the whole engine: a plan naming a kernel outside the kernel directories fails, nothing loaded. */
    @Test
    void aKernelOutsideTheKernelDirectoriesFailsThePrepare() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        Path outside = dev.liveupdate.luo.sim.SimulatedKernel.writeImage(dir.resolve("vmlinuz-elsewhere"), SimNode.TARGET);
        NodeInstruction i = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 0, null));
        i.getKernel().setImage(node.image.getParent() + "/../vmlinuz-elsewhere");
        node.instruct(NodeStep.Prepared, i);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("ImageOutsideKernelDirs");

        SimNode other = new SimNode(dir.resolve("second"), Generation.B).boot();
        NodeInstruction j = other.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 0, null));
        j.getKernel().setImage(outside.toString());
        other.instruct(NodeStep.Prepared, j);
        assertThat(other.sink.last().getReason()).isEqualTo("ImageOutsideKernelDirs");
        assertThat(other.sink.last().getMessage()).contains(outside.toString());
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void fullUpdateCarriesTheBytesAcrossTheKexec(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        byte[] content = random(64 * 1024);
        node.engine.preserve(ROOT, "vm", 1, node.memfd(content));
        node.instruct(NodeStep.Prepared);
        String before = node.bootId();
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted)).isInstanceOf(SimNode.KexecHappened.class);
        LiveUpdateNodeStatus rebooting = node.sink.last();
        assertThat(rebooting.getPhase()).isEqualTo(NodePhase.Rebooting);
        assertThat(rebooting.getBoot().getBootIDBefore()).isEqualTo(before);
        assertThat(rebooting.getBlackout().getRebootIssuedAt()).isNotNull();

        node.clock.advance(Duration.ofMillis(3200));
        node.boot(); // the new kernel's agent
        assertThat(node.bootId()).isNotEqualTo(before);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Restoring);
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Updated);
        }
        int fd = node.engine.retrieve(ROOT, "vm", 1);
        assertThat(node.read(fd)).isEqualTo(content);
        LiveUpdateNodeStatus updated = node.sink.last();
        assertThat(updated.getPhase()).isEqualTo(NodePhase.Updated);
        assertThat(updated.getBoot().getReleaseAfter()).isEqualTo(SimNode.TARGET);
        assertThat(updated.getBoot().getBootIDAfter()).isEqualTo(node.bootId());
        assertThat(updated.getBlackout().getDurationMillis()).isEqualTo(3200L);
        assertThat(updated.getBlackout().getDuration()).isEqualTo("3.20s");
        assertThat(updated.getSessions()).singleElement().satisfies(s -> assertThat(s.getRestoredTokens()).containsExactly(1L));

        node.instruct(NodeStep.Finished);
        LiveUpdateNodeStatus finished = node.sink.last();
        assertThat(finished.getPhase()).isEqualTo(NodePhase.Finished);
        assertThat(finished.getLastUpdate().getResult()).isEqualTo(UpdateResult.Finished);
        assertThat(finished.getLastUpdate().getBlackoutMillis()).isEqualTo(3200L);
        if (g == Generation.A) {
            assertThat(finished.getInventory().getDeviceState()).isEqualTo(DeviceState.Normal);
        }
        assertThat(node.kexecs).isEqualTo(1);
        assertThat(node.read(fd)).isEqualTo(content); // the workload's fd outlives FINISH
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void cancelReleasesEverythingAndKeepsRegistrations(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(random(10)));
        node.instruct(NodeStep.Prepared);
        node.instruct(NodeStep.Cancelled);
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Cancelled);
        assertThat(s.getLastUpdate().getResult()).isEqualTo(UpdateResult.Cancelled);
        assertThat(s.getSessions()).isNull();
        if (g == Generation.A) {
            assertThat(s.getInventory().getDeviceState()).isEqualTo(DeviceState.Normal);
        }
        assertThat(node.engine.status(ROOT, "vm").file("vm", 1)).get().extracting(f -> f.state()).isEqualTo(FileState.Held);
        // The staged kernel is gone: a kexec now would find nothing loaded.
        assertThatThrownBy(() -> node.sim.reboot(dev.liveupdate.luo.sys.KernelCalls.LINUX_REBOOT_CMD_KEXEC))
                .isInstanceOf(dev.liveupdate.luo.sys.ErrnoException.class);
        assertThat(node.kexecs).isZero();
    }

    @Test
    void noRebootWithoutAnAcknowledgedRebootingStatus() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        node.engine.preserve(ROOT, "vm", 1, node.memfd(random(10)));
        node.instruct(NodeStep.Prepared);
        node.sink.refuseAcknowledged = true;
        node.instruct(NodeStep.Rebooted);
        assertThat(node.kexecs).isZero();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(node.sink.last().getMessage()).contains("acknowledge");
        node.sink.refuseAcknowledged = false;
        assertThatThrownBy(() -> node.engine.tick()).isInstanceOf(SimNode.KexecHappened.class);
        assertThat(node.kexecs).isEqualTo(1);
    }

    /** A plan with one required session of one file, taken through the kexec; nobody has reclaimed the file yet. */
    private static NodeInstruction updatedWithOneUnreclaimedFile(SimNode node, String timeout, RestoreTimeoutAction onTimeout) throws Exception {
        NodeInstruction i = node.planInstruction(NodeStep.Prepared,
                SimNode.session("vm", true, 1, SimNode.restore(RestoreRule.AllTokensReclaimed, timeout, onTimeout)));
        node.engine.preserve(ROOT, "vm", 1, node.memfd(random(10)));
        node.instruct(NodeStep.Prepared, i);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted, i)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        return i;
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void finishWaitsForTheRestoreRuleThenDiscardAllowsIt(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = updatedWithOneUnreclaimedFile(node, "2m", RestoreTimeoutAction.Discard);
        node.instruct(NodeStep.Finished, i);
        // Invariant 3: not restored, timeout not expired -> no FINISH.
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Restoring);
        if (g == Generation.A) {
            assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Updated);
        }
        node.clock.advance(Duration.ofMinutes(3));
        node.engine.tick();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
    }

    /** A workload that declines its restored file (unpreserve) settles that token for AllTokensReclaimed, also across a restart. */
    @ParameterizedTest
    @EnumSource(Generation.class)
    void unpreservingARestoredFileCountsAsReclaimed(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = updatedWithOneUnreclaimedFile(node, "10m", RestoreTimeoutAction.Fail);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Restoring);
        assertThat(node.sink.last().getMessage()).contains("0 of 1 files reclaimed");

        node.engine.unpreserve(ROOT, "vm", 1);
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Updated);
        assertThat(s.getMessage()).contains("all required sessions restored");
        assertThat(s.getSessions()).singleElement().satisfies(st -> assertThat(st.getRestoredTokens()).containsExactly(1L));

        node.crash();
        node.boot();
        assertThat(node.sink.last().getPhase()).as("a restarted agent agrees").isEqualTo(NodePhase.Updated);
        node.instruct(NodeStep.Finished, i);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
    }

    @Test
    void restoreTimeoutWithFailNeverFinishes() throws Exception {
        SimNode node = new SimNode(dir, Generation.A).boot();
        NodeInstruction i = updatedWithOneUnreclaimedFile(node, "1m", RestoreTimeoutAction.Fail);
        node.clock.advance(Duration.ofMinutes(2));
        node.instruct(NodeStep.Finished, i);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(node.sink.last().getReason()).isEqualTo("RestoreTimeout");
        assertThat(node.sink.last().getInventory().getDeviceState()).isEqualTo(DeviceState.Updated);
        // The file is still there for its workload.
        assertThat(node.engine.retrieve(ROOT, "vm", 1)).isNotNegative();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aDiscardRequestFinishesAFailedRestoreAndFreesTheNodeForTheNextPlan(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = updatedWithOneUnreclaimedFile(node, "1m", RestoreTimeoutAction.Fail);
        node.clock.advance(Duration.ofMinutes(2));
        node.instruct(NodeStep.Rebooted, i);
        assertThat(node.sink.last().getReason()).isEqualTo("RestoreTimeout");

        node.engine.onDiscardRequest("uid-of-another-plan");
        assertThat(node.sink.last().getPhase()).as("a request naming another plan is ignored").isEqualTo(NodePhase.Failed);
        assertThat(node.engine.retrieve(ROOT, "vm", 1)).as("still retrievable").isNotNegative();

        node.engine.onDiscardRequest(i.getPlan().getUid());
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Finished);
        assertThat(s.getReason()).isEqualTo("DiscardedOnRequest");
        assertThat(s.getMessage()).contains("RestoreTimeout", "vm");
        if (g == Generation.A) {
            assertThat(s.getInventory().getDeviceState()).as("FINISH sent").isEqualTo(DeviceState.Normal);
        }
        assertThatThrownBy(() -> node.engine.retrieve(ROOT, "vm", 1)).isInstanceOf(ProtocolException.class);

        // The plan lets go of the node; the next plan prepares it (generation A needs the device NORMAL for that).
        node.clearInstruction();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Idle);
        NodeInstruction next = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null));
        next.getPlan().setUid("uid-2");
        next.getPlan().setName("kernel-7-4");
        node.engine.preserve(ROOT, "vm", 7, node.memfd(random(10)));
        node.instruct(NodeStep.Prepared, next);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Prepared);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void noNewUpdateWhileAFailedRestoreStillHoldsFiles(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = updatedWithOneUnreclaimedFile(node, "1m", RestoreTimeoutAction.Fail);
        node.clock.advance(Duration.ofMinutes(2));
        node.instruct(NodeStep.Rebooted, i);
        assertThat(node.sink.last().getReason()).isEqualTo("RestoreTimeout");

        assertThat(node.sink.last().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(StepEngine.HELD_RESTORE);
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("RestoreTimeout");
        });
        node.clearInstruction(); // the failed plan was deleted
        LiveUpdateNodeStatus idle = node.sink.last();
        assertThat(idle.getPhase()).isEqualTo(NodePhase.Idle);
        assertThat(idle.getReason()).isEqualTo("UnreleasedRestore");
        assertThat(idle.getMessage()).contains("uid-1", "liveupdate.dev/discard-unrestored=uid-1");

        NodeInstruction next = node.planInstruction(NodeStep.Prepared, SimNode.session("db", false, 0, null));
        next.getPlan().setUid("uid-2");
        node.instruct(NodeStep.Prepared, next);
        LiveUpdateNodeStatus refused = node.sink.last();
        assertThat(refused.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(refused.getReason()).isEqualTo("UnreleasedRestore");
        assertThat(refused.getLastUpdate().getReason()).isEqualTo("UnreleasedRestore");
        assertThat(node.engine.retrieve(ROOT, "vm", 1)).as("the old file is untouched").isNotNegative();

        node.engine.onDiscardRequest("uid-1");
        assertThat(node.sink.last().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(StepEngine.HELD_RESTORE);
            assertThat(c.getStatus()).as("released").isEqualTo("False");
        });
        NodeInstruction third = node.planInstruction(NodeStep.Prepared, SimNode.session("db", false, 0, null));
        third.getPlan().setUid("uid-3");
        node.instruct(NodeStep.Prepared, third);
        assertThat(node.sink.last().getPhase()).as("released: the next plan prepares").isEqualTo(NodePhase.Prepared);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void sessionRetrievedRuleHoldsOnceTheAgentHasTheSession(Generation g) throws Exception {
        SimNode node = new SimNode(dir, g).boot();
        NodeInstruction i = node.planInstruction(NodeStep.Prepared,
                SimNode.session("vm", true, 1, SimNode.restore(RestoreRule.SessionRetrieved, "1m", RestoreTimeoutAction.Fail)));
        byte[] content = random(100);
        node.engine.preserve(ROOT, "vm", 1, node.memfd(content));
        node.instruct(NodeStep.Prepared, i);
        assertThatThrownBy(() -> node.instruct(NodeStep.Rebooted, i)).isInstanceOf(SimNode.KexecHappened.class);
        node.boot();
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Updated);
        node.instruct(NodeStep.Finished, i);
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Finished);
        // The workload comes later and still gets its bytes.
        assertThat(node.read(node.engine.retrieve(ROOT, "vm", 1))).isEqualTo(content);
    }

    @Test
    void workloadRequestErrors() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        assertThatThrownBy(() -> node.engine.retrieve(ROOT, "nothing", 1))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SESSION));
        node.engine.preserve(ROOT, "vm", 1, node.memfd(random(10)));
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 1, node.memfd(random(10))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_TOKEN));
        assertThatThrownBy(() -> node.engine.unpreserve(ROOT, "vm", 9))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TOKEN));
        node.engine.unpreserve(ROOT, "vm", 1);
        assertThat(node.engine.status(ROOT, null).files()).isEmpty();
        // /dev/null is not preservable: refused also when the session exists.
        node.instruct(NodeStep.Prepared);
        int devnull = node.sim.open("/dev/null", 0);
        assertThatThrownBy(() -> node.engine.preserve(ROOT, "vm", 2, devnull))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_PRESERVABLE));
        assertThat(Files.exists(node.agentDir.resolve("update.json"))).isTrue();
    }
}
