package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The new boot's restore rules and FINISH, on {@link IncomingRun} alone. */
class IncomingRunTest {
    @TempDir
    Path dir;

    /** This process restores plan uid-1 with one required session "vm" of these tokens (AllTokensReclaimed). */
    private static IncomingRun restoring(EngineParts parts, Long... tokens) {
        UpdateRecord record = EngineParts.record("an-earlier-boot", "2025-06-01T09:30:00Z", tokens);
        parts.ctx.local.saveUpdate(record);
        IncomingRun incoming = new IncomingRun(parts.ctx, record, null);
        parts.state.incoming = incoming;
        return incoming;
    }

    @Test
    void aDeclinedFileCountsAsReclaimedAfterItLeftTheFileTable() throws Exception {
        EngineParts parts = new EngineParts(dir, Generation.B);
        IncomingRun incoming = restoring(parts, 1L, 2L);
        HeldFile declined = new HeldFile("vm", 1, -1, SimNode.ROOT.owner(), -1, FileState.Restorable);
        HeldFile taken = new HeldFile("vm", 2, -1, SimNode.ROOT.owner(), -1, FileState.Restorable);
        parts.ctx.files.put(declined);
        parts.ctx.files.put(taken);
        UpdateRecord.SessionRecord vm = incoming.record.sessions().get(0);

        incoming.onHandedBack(taken);
        incoming.onHandedBack(declined); // what unpreserve does, before the file leaves the table
        parts.ctx.files.remove("vm", 1);

        assertThat(incoming.ruleHolds(vm)).isTrue();
        assertThat(incoming.reclaimed(vm)).containsExactly(1L, 2L);
        incoming.evaluate();
        assertThat(incoming.phase).isEqualTo(NodePhase.Updated);
        assertThat(incoming.waitingSummary()).isEqualTo("all required sessions restored");
    }
}
