package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Reply;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A status reply fits one frame for any peer: its own files only, at most 128 of them, each entry bounded. */
class WorkloadStatusTest {
    @TempDir
    Path dir;

    @Test
    void theLargestPossibleReplyFitsOneFrame() throws Exception {
        EngineParts parts = new EngineParts(dir, Generation.B);
        WorkloadLimits limits = new WorkloadLimits(WorkloadLimits.MAX_FILES_PER_OWNER, 0, WorkloadLimits.DEFAULT.releaseGrace());
        Owner owner = Owner.host(4294967295L, "/" + "\u00e9x".repeat(3000)); // a long cgroup path with characters JSON would escape
        Peer peer = new Peer(1, 4294967295L, 0, new long[] {0}, owner);
        String longestSession = "s" + "x".repeat(54);
        for (int i = 0; i < limits.maxFilesPerOwner() + 40; i++) {
            // 40 more than the quota (it was lowered since, or they came through the kexec): the cut holds regardless
            HeldFile f = new HeldFile(longestSession, -1L - i, -1, owner, 4294967295L, FileState.Restorable);
            f.detail = "\u2603\"\\\n".repeat(500);
            parts.ctx.files.put(f);
        }
        NodeInstruction i = parts.instruction(NodeStep.Prepared);
        i.getPlan().setName("p".repeat(253));
        WorkloadStatus status = new WorkloadStatus("n".repeat(253), parts.ctx, parts.state, new OwnerQuota(parts.ctx, limits));

        StatusReport report = status.of(peer, null, i);
        Reply reply = Reply.ok();
        report.toJson().fields().forEachRemaining(f -> reply.with(f.getKey(), f.getValue()));
        int size = reply.encode().length;
        assertThat(report.files()).hasSize(WorkloadLimits.MAX_FILES_PER_OWNER);
        assertThat(size).as("encoded status of %s entries", report.files().size()).isLessThanOrEqualTo(Frames.MAX_FRAME_BYTES);
        assertThat(report.files().get(0).detail()).hasSize(WorkloadStatus.MAX_DETAIL).endsWith("...");
    }
}
