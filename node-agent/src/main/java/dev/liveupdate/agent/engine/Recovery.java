package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.SessionState;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What a new agent process works out at start from the host disk, the device, the boot ID and the last reported status:
 * where the previous process left off. A restart at any point must neither repeat a reboot nor pretend that sessions
 * which died with the old process still exist.
 *
 * <ul>
 *   <li>A reboot was issued and the boot ID changed: this boot came out of the live update; retrieve what the kernel
 *       handed over and go on restoring ({@link IncomingRun}).</li>
 *   <li>A reboot was recorded (update record's rebootIssuedAt or the reboot ledger, both written before the syscall)
 *       but the boot ID is the same: the kexec never happened; Failed RebootNotCompleted, never a second reboot
 *       (invariant 6).</li>
 *   <li>No reboot recorded, same boot: the preparation died with the old process (its sessions with it), the
 *       workloads still hold their memory; start it over, bounded ({@link PrepareRestarts}). This includes an agent
 *       killed after it reported Rebooting but before it recorded the reboot: the syscall provably was not issued.</li>
 *   <li>No reboot recorded, another boot: the node rebooted outside the live update and the sessions' memory went
 *       with it; Failed SessionsLost.</li>
 * </ul>
 * Whatever did not come out of the kexec is released on the device and the update record cleared.
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    private final EngineContext ctx;
    private final ProcessState state;
    private final Outcomes outcomes;
    private final PrepareRestarts restarts;

    Recovery(EngineContext ctx, ProcessState state, Outcomes outcomes) {
        this.ctx = ctx;
        this.state = state;
        this.outcomes = outcomes;
        this.restarts = new PrepareRestarts(ctx, state, outcomes);
    }

    /** The update record on disk wins; the last status stands in when the host state dir lost it. */
    void recover(LiveUpdateNodeStatus last) {
        Optional<UpdateRecord> local = ctx.local.update();
        Optional<UpdateRecord> found = local.isPresent() ? local : RecordFromStatus.of(last, ctx.bootId);
        if (found.isEmpty()) {
            return;
        }
        UpdateRecord r = found.get();
        PlanReference plan = IncomingRun.planOf(r);
        if (r.rebootIssuedAt() != null && !r.bootIDBefore().equals(ctx.bootId)) {
            RestoreRecord progress = ctx.local.restore()
                    .filter(p -> p.planUid().equals(r.planUid()) && p.bootID().equals(ctx.bootId)).orElse(null);
            IncomingRun incoming = new IncomingRun(ctx, r, progress);
            state.incoming = incoming;
            incoming.retrieveAll();
            LOG.info(() -> "this boot came from the live update of plan " + r.planName() + " (boot " + r.bootIDBefore() + " -> " + ctx.bootId + ")");
            if (incoming.finishIssued()) {
                incoming.phase = NodePhase.Finished;
            }
            return;
        }
        String lostList = r.sessions().isEmpty() ? "" : " Sessions lost: " + describe(r.sessions()) + ".";
        Optional<RebootLedger.Entry> ledgered = ctx.local.ledger().latestFor(r.planUid());
        if (r.rebootIssuedAt() != null || ledgered.isPresent()) {
            // The intent is written before the syscall, nothing after it: the record cannot tell "killed before
            // reboot(KEXEC)" from "reboot(KEXEC) returned an error and the process died before reporting it".
            String at = r.rebootIssuedAt() != null ? r.rebootIssuedAt() : ledgered.get().issuedAt();
            fail(plan, r, "RebootNotCompleted", "reboot(KEXEC) was issued at " + at + " but the node is still in boot "
                    + ctx.bootId + ": the kexec did not happen and the agent never reboots twice for one plan (invariant 6)." + lostList);
        } else if (r.bootIDBefore().equals(ctx.bootId)) {
            restarts.preparationLost(r);
        } else if (!r.sessions().isEmpty()) {
            fail(plan, r, "SessionsLost", "sessions " + describe(r.sessions()) + " are gone: the node rebooted (boot " + r.bootIDBefore() + " -> "
                    + ctx.bootId + ") before the live update was issued, and their memory with it."
                    + " Workloads must hand their files over again; cancel the plan or let the operator retry.");
        } else {
            LOG.info("a previous boot prepared plan " + r.planName() + " without sessions; starting that preparation over");
        }
        OutgoingRun.releaseLeftovers(ctx);
        ctx.local.clearUpdate();
    }

    private void fail(PlanReference plan, UpdateRecord r, String reason, String message) {
        state.reporter.phase(plan, NodePhase.Failed, reason, message);
        List<SessionStatus> sessions = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : r.sessions()) {
            SessionStatus st = new SessionStatus();
            st.setName(s.name());
            st.setRequired(s.required());
            st.setState(SessionState.Lost);
            st.setPreservedTokens(s.tokens().isEmpty() ? null : s.tokens());
            sessions.add(st);
        }
        state.status().setSessions(sessions.isEmpty() ? null : sessions);
        outcomes.record(plan, UpdateResult.Failed, reason, r.startedAt());
    }

    private static String describe(List<UpdateRecord.SessionRecord> sessions) {
        List<String> parts = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : sessions) {
            parts.add(s.name() + (s.tokens().isEmpty() ? "" : " (tokens " + String.join(",", s.tokens().stream().map(Long::toUnsignedString).toList()) + ")"));
        }
        return String.join(", ", parts);
    }
}
