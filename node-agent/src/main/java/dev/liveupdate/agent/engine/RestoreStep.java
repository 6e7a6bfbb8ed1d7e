package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.api.v1alpha1.BootTransition;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.UpdateResult;

/**
 * The instruction of the plan this boot came out of (protocol steps 5 to 7): after the kexec only Finished applies
 * (through {@link FinishStep}); the restore itself is {@link IncomingRun}'s. Reports where the restore stands: boot
 * transition, blackout, and Restoring/Updated/Finished/Failed with what it waits for.
 */
final class RestoreStep {
    private final EngineContext ctx;
    private final ProcessState state;
    private final Outcomes outcomes;
    private final FinishStep finish;

    RestoreStep(EngineContext ctx, ProcessState state, Outcomes outcomes, FinishStep finish) {
        this.ctx = ctx;
        this.state = state;
        this.outcomes = outcomes;
        this.finish = finish;
    }

    void follow(NodeInstruction i) {
        PlanReference plan = i.getPlan();
        IncomingRun incoming = state.incoming;
        if (incoming.phase == NodePhase.Updated && i.getStep() == NodeStep.Finished) {
            if (finish.finishRestored(plan)) {
                report(plan);
                outcomes.record(plan, UpdateResult.Finished, null, incoming.record.startedAt());
                return;
            }
        } else if (i.getStep() == NodeStep.Cancelled || i.getStep() == NodeStep.Prepared) {
            state.reporter.message("ignoring step " + i.getStep() + ": this node already rebooted for plan " + plan.getName() + "; only Finished applies now");
        }
        report(plan);
    }

    void report(PlanReference plan) {
        StatusReporter reporter = state.reporter;
        IncomingRun incoming = state.incoming;
        LiveUpdateNodeStatus s = reporter.status();
        UpdateRecord r = incoming.record;
        BootTransition boot = new BootTransition();
        boot.setBootIDBefore(r.bootIDBefore());
        boot.setReleaseBefore(r.releaseBefore());
        boot.setBootIDAfter(ctx.bootId);
        boot.setReleaseAfter(ctx.release);
        s.setBoot(boot);
        Blackout before = s.getBlackout() != null && r.rebootIssuedAt() != null && r.rebootIssuedAt().equals(s.getBlackout().getRebootIssuedAt())
                ? s.getBlackout() : new Blackout();
        Blackout b = new Blackout();
        b.setFreezeStartedAt(before.getFreezeStartedAt());
        b.setFreezeMillis(before.getFreezeMillis());
        b.setFreezeResult(before.getFreezeResult());
        b.setRebootIssuedAt(r.rebootIssuedAt());
        b.setDeviceReopenedAt(incoming.deviceReopenedAt());
        // An agent restarted during the restore keeps what the first process of this boot reported.
        b.setSessionsRetrievedAt(before.getSessionsRetrievedAt() != null ? before.getSessionsRetrievedAt() : format(incoming.retrievedAt));
        b.setFirstFilesTakenAt(before.getFirstFilesTakenAt() != null ? before.getFirstFilesTakenAt() : format(incoming.firstTakenAt));
        b.setLastFilesTakenAt(incoming.lastTakenAt != null ? Times.format(incoming.lastTakenAt) : before.getLastFilesTakenAt());
        if (incoming.restoredAt != null) {
            b.setSessionsRestoredAt(Times.format(incoming.restoredAt));
            Long ms = incoming.blackoutMillis();
            b.setDurationMillis(ms);
            b.setDuration(ms == null ? null : Durations.human(ms));
        }
        s.setBlackout(b);
        // The kernel handed the sessions over (retrieved before the socket serves): subscribers may take their files back.
        ctx.notices.resumed(Notice.resumed(ctx.bootId, r.bootIDBefore(), plan.getName(), ctx.release));
        String releaseNote = r.targetRelease() != null && !r.targetRelease().equals(ctx.release)
                ? " WARNING: running " + ctx.release + " but the plan targets " + r.targetRelease() + "." : "";
        switch (incoming.phase) {
            case Restoring -> reporter.phase(plan, NodePhase.Restoring, null, incoming.waitingSummary() + releaseNote);
            case Updated -> reporter.phase(plan, NodePhase.Updated, null, "running " + ctx.release + "; " + incoming.waitingSummary()
                    + (incoming.discarded.isEmpty() ? "" : "; discarding " + incoming.discarded + " at FINISH (restore timeout, onTimeout Discard)")
                    + (b.getDuration() == null ? "" : "; blackout " + b.getDuration()) + releaseNote);
            case Finished -> {
                if (incoming.discardedAfter != null) {
                    reporter.phase(plan, NodePhase.Finished, "DiscardedOnRequest", "finished by a person's discard request after "
                            + incoming.discardedAfter.reason() + ": FINISH sent, unrestored files of " + incoming.discarded
                            + " dropped; running " + ctx.release);
                } else {
                    reporter.phase(plan, NodePhase.Finished, null, "finished: running " + ctx.release
                            + (b.getDuration() == null ? "" : ", blackout " + b.getDuration()));
                }
            }
            case Failed -> {
                if (reporter.status().getPhase() != NodePhase.Failed) {
                    outcomes.record(plan, UpdateResult.Failed, incoming.failure.reason(), r.startedAt());
                }
                reporter.phase(plan, NodePhase.Failed, incoming.failure.reason(), incoming.failure.message());
            }
            default -> { }
        }
    }

    private static String format(java.time.Instant t) {
        return t == null ? null : Times.format(t);
    }
}
