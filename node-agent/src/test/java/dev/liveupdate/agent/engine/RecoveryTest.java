package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.api.v1alpha1.BootTransition;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.SessionState;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a new agent process concludes at start from the host disk, the boot ID, the device and the last status. */
class RecoveryTest {
    private static final String ISSUED = "2025-06-01T09:30:00Z";

    @TempDir
    Path dir;

    private EngineParts parts;
    private Recovery recovery;

    private void start(Generation g) throws Exception {
        parts = new EngineParts(dir, g);
        recovery = new Recovery(parts.ctx, parts.state, parts.outcomes);
    }

    private LiveUpdateNodeStatus status() {
        return parts.state.status();
    }

    @Test
    void aRebootIssuedInThisBootIsNeverIssuedAgainAndThePreparedDeviceIsCancelled() throws Exception {
        start(Generation.A);
        parts.ctx.device.device().prepare(); // what the dead process left: a PREPARED device
        parts.ctx.local.saveUpdate(EngineParts.record(parts.ctx.bootId, ISSUED, 1L, 2L));

        recovery.recover(null);

        assertThat(parts.state.incoming).isNull();
        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootNotCompleted");
        assertThat(status().getMessage()).contains(ISSUED, "invariant 6", "vm (tokens 1,2)");
        assertThat(status().getSessions()).singleElement().satisfies(s -> {
            assertThat(s.getState()).isEqualTo(SessionState.Lost);
            assertThat(s.getPreservedTokens()).containsExactly(1L, 2L);
        });
        assertThat(status().getLastUpdate().getResult()).isEqualTo(UpdateResult.Failed);
        assertThat(status().getLastUpdate().getReason()).isEqualTo("RebootNotCompleted");
        assertThat(status().getLastUpdate().getStartedAt()).isEqualTo("2025-06-01T09:00:00Z");
        assertThat(parts.ctx.device.device().state()).isEqualTo(LuoState.NORMAL);
        assertThat(parts.ctx.local.update()).as("the record is consumed").isEmpty();
    }

    @Test
    void sessionsLostToAnotherBootFailTheNodeAndTheMessageSaysWhy() throws Exception {
        start(Generation.B);
        parts.ctx.local.saveUpdate(EngineParts.record("an-earlier-boot", null, 7L));

        recovery.recover(null);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("SessionsLost");
        assertThat(status().getMessage()).contains("vm (tokens 7)")
                .contains("the node rebooted (boot an-earlier-boot -> " + parts.ctx.bootId + ") before the live update was issued");
        assertThat(status().getLastUpdate().getReason()).isEqualTo("SessionsLost");
        assertThat(parts.ctx.local.update()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aPreparationLostWithTheProcessInThisBootStartsOverAndIsCounted(Generation g) throws Exception {
        start(g);
        if (g == Generation.A) {
            parts.ctx.device.device().prepare(); // the dead process got as far as PREPARE
        }
        parts.ctx.local.saveUpdate(EngineParts.record(parts.ctx.bootId, null, 7L));
        LiveUpdateNodeStatus last = lastStatus(NodePhase.Prepared);
        last.setPrepareRestarts(1);
        parts.state.reporter = new StatusReporter(parts.sink, EventSink.NONE, parts.clock, last); // as StepEngine.start does

        recovery.recover(last);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(status().getReason()).isEqualTo(PrepareRestarts.RESTARTED);
        assertThat(status().getMessage()).contains("sessions vm were destroyed", "no reboot was issued", "restart 2");
        assertThat(status().getPrepareRestarts()).as("counted on from the last status").isEqualTo(2);
        assertThat(status().getSessions()).as("the dead run's sessions are not reported as held").isNull();
        assertThat(status().getLastUpdate()).as("not an outcome").isNull();
        assertThat(parts.ctx.local.update()).isEmpty();
        if (g == Generation.A) {
            assertThat(parts.ctx.device.device().state()).as("PREPARE of the dead run cancelled").isEqualTo(LuoState.NORMAL);
        }
    }

    @Test
    void aRebootingStatusWithoutARecordedRebootIsAPreparationLostNotAReboot() throws Exception {
        start(Generation.A);
        // Killed after the API server stored Rebooting, before update.json and the ledger recorded the reboot.
        parts.ctx.local.saveUpdate(EngineParts.record(parts.ctx.bootId, null, 3L));
        LiveUpdateNodeStatus last = lastStatus(NodePhase.Rebooting);
        last.getBoot().setBootIDBefore(parts.ctx.bootId);

        recovery.recover(last);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(status().getPrepareRestarts()).isEqualTo(1);
        assertThat(status().getBlackout()).as("no reboot was issued").isNull();
        assertThat(status().getBoot()).isNull();
    }

    @Test
    void aRebootInTheLedgerIsNeverStartedOverEvenWithoutItInTheRecord() throws Exception {
        start(Generation.B);
        parts.ctx.local.saveUpdate(EngineParts.record(parts.ctx.bootId, null, 3L));
        parts.ctx.local.recordReboot(new RebootLedger.Entry("kernel-7-3", "uid-1", 1, parts.ctx.bootId, ISSUED));

        recovery.recover(null);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(status().getReason()).isEqualTo("RebootNotCompleted");
        assertThat(status().getMessage()).contains(ISSUED);
    }

    @Test
    void aPreparationWithoutSessionsInThisBootStartsOverWithoutAFailure() throws Exception {
        start(Generation.B);
        parts.ctx.local.saveUpdate(EngineParts.record(parts.ctx.bootId, null));

        recovery.recover(null);

        assertThat(status().getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(status().getPrepareRestarts()).isEqualTo(1);
        assertThat(status().getLastUpdate()).isNull();
        assertThat(parts.ctx.local.update()).isEmpty();
    }

    @Test
    void aRebootIntoAnotherBootContinuesTheRestore() throws Exception {
        start(Generation.B);
        parts.ctx.local.saveUpdate(EngineParts.record("an-earlier-boot", ISSUED, 1L));

        recovery.recover(null);

        assertThat(parts.state.incoming).isNotNull();
        assertThat(parts.state.incoming.plan.getUid()).isEqualTo("uid-1");
        assertThat(parts.state.incoming.phase).isEqualTo(NodePhase.Restoring);
        assertThat(parts.ctx.local.restore()).get().satisfies(r -> assertThat(r.bootID()).isEqualTo(parts.ctx.bootId));
        assertThat(parts.ctx.local.update()).as("kept until FINISH").isPresent();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aFinishRecordedInThisBootStaysFinishedButOneFromAnotherBootDoesNotCount(Generation g) throws Exception {
        start(g);
        parts.ctx.local.saveUpdate(EngineParts.record("an-earlier-boot", ISSUED, 1L));
        parts.ctx.local.saveRestore(new RestoreRecord("uid-1", "yet-another-boot", ISSUED, null, List.of("vm"), Map.of(), ISSUED));
        recovery.recover(null);
        assertThat(parts.state.incoming.phase).isNotEqualTo(NodePhase.Finished);

        parts.ctx.local.saveRestore(new RestoreRecord("uid-1", parts.ctx.bootId, ISSUED, null, List.of("vm"), Map.of(), ISSUED));
        recovery.recover(null);
        assertThat(parts.state.incoming.phase).isEqualTo(NodePhase.Finished);
    }

    @Test
    void theLastStatusStandsInWhenTheHostLostTheRecord() throws Exception {
        start(Generation.A);

        recovery.recover(lastStatus(NodePhase.Rebooting));

        assertThat(parts.state.incoming).isNotNull();
        assertThat(parts.state.incoming.record.sessions()).singleElement().satisfies(s -> assertThat(s.tokens()).containsExactly(3L));
        // The device of this boot never went through a hand-over (NORMAL, not UPDATED): the session is lost, not invented.
        assertThat(parts.state.incoming.lost).containsKey("vm");
    }

    @Test
    void aStatusTheApiServerDidNotAcknowledgeBeforeAKexecIsNotTrusted() throws Exception {
        start(Generation.A);

        recovery.recover(lastStatus(NodePhase.Prepared));

        assertThat(parts.state.incoming).isNull();
        assertThat(status().getPhase()).isNull();
    }

    private static LiveUpdateNodeStatus lastStatus(NodePhase phase) {
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(phase);
        s.setPlan(EngineParts.plan("uid-1", 1L));
        BootTransition boot = new BootTransition();
        boot.setBootIDBefore("an-earlier-boot");
        s.setBoot(boot);
        Blackout blackout = new Blackout();
        blackout.setRebootIssuedAt(ISSUED);
        s.setBlackout(blackout);
        SessionStatus vm = new SessionStatus();
        vm.setName("vm");
        vm.setPreservedTokens(List.of(3L));
        s.setSessions(List.of(vm));
        return s;
    }
}
