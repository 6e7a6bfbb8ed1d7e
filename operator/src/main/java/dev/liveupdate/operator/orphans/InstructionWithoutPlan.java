package dev.liveupdate.operator.orphans;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.planning.AgentReport;
import dev.liveupdate.operator.planning.LunView;
import dev.liveupdate.operator.planning.Outcome;
import dev.liveupdate.operator.planning.Reasons;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to do with an instruction whose plan is gone (deleted with its finalizer stripped, or never there: written by
 * hand, restored from a backup, carried by a stale manifest). The agent already refuses to prepare or kexec for it
 * (invariant 8); this rule gives the node back without ever stranding a kexec that already happened:
 * <ul>
 *   <li>nothing rebooted for it (step Prepared or Cancelled, the agent reports no reboot for that plan): clear it now;
 *       the agent releases what it staged;</li>
 *   <li>the node may run the new kernel (step Rebooted, or the agent reports Rebooting, Restoring or Updated for that
 *       plan): tell it Finished, the one step the API allows after Rebooted, so the agent restores and sends FINISH
 *       only after the restore (invariant 3), exactly as a plan's deletion does;</li>
 *   <li>step Finished: clear once the agent has settled (Finished, Failed, Cancelled, or Idle), never before; a failed
 *       restore keeps its files for the workloads until a person releases them, as after any plan.</li>
 * </ul>
 * Pure: the caller has established that the plan is gone (from the API server) and carries out the step.
 */
public final class InstructionWithoutPlan {
    private static final Set<NodePhase> AFTER_KEXEC = EnumSet.of(NodePhase.Rebooting, NodePhase.Restoring,
            NodePhase.Updated);
    private static final Set<NodePhase> SETTLED = EnumSet.of(NodePhase.Finished, NodePhase.Failed,
            NodePhase.Cancelled);

    /** The next write for the node. */
    public sealed interface Step permits Clear, Finish, Wait {
        String message();
    }

    /** Clear the instruction and the ledger, recording {@code outcome} under the gone plan's uid. */
    public record Clear(Outcome outcome, String message) implements Step {
    }

    /** Replace the step with Finished, keeping the rest of the instruction. */
    public record Finish(String message) implements Step {
    }

    /** Nothing to write: the agent has not settled yet. */
    public record Wait(String message) implements Step {
    }

    private InstructionWithoutPlan() {
    }

    /**
     * @param lun the node, holding an instruction of a gone plan
     * @param why why the plan counts as gone (from {@link PlanLookup})
     */
    public static Step decide(LunView lun, String why, Instant now) {
        String uid = lun.instructionPlan();
        AgentReport a = lun.agent();
        boolean agentOnIt = a != null && uid.equals(a.planUid());
        String what = "instruction " + lun.step() + " of plan " + lun.instructionPlanName() + " (uid " + uid + ")";
        if (lun.step() != NodeStep.Finished) {
            if (lun.step() == NodeStep.Rebooted || agentOnIt && AFTER_KEXEC.contains(a.phase())) {
                return new Finish(what + " has no live plan (" + why + "); the node may already run the new kernel,"
                        + " so it is told Finished: the agent restores, sends FINISH only after the restore, and the"
                        + " operator then clears the instruction");
            }
            boolean failed = agentOnIt && a.phase() == NodePhase.Failed;
            return new Clear(outcome(lun, failed ? UpdateResult.Failed : UpdateResult.Cancelled, false,
                    cleared(what, why, a), now), cleared(what, why, a));
        }
        if (!settled(lun, uid)) {
            return new Wait(what + " has no live plan (" + why + "); waiting for the agent to finish (it reports "
                    + (a == null ? "nothing" : a.phase() + (agentOnIt ? "" : " for another instruction")) + ")");
        }
        UpdateResult result = !agentOnIt || a.phase() == NodePhase.Cancelled ? UpdateResult.Cancelled
                : a.phase() == NodePhase.Failed ? UpdateResult.Failed : UpdateResult.Finished;
        return new Clear(outcome(lun, result, true, cleared(what, why, a), now), cleared(what, why, a));
    }

    /** The agent acted on the Finished step and reports where it ended, or let go of the plan. */
    private static boolean settled(LunView lun, String uid) {
        AgentReport a = lun.agent();
        if (a == null || !lun.agentCaughtUp()) {
            return false;
        }
        return uid.equals(a.planUid()) ? SETTLED.contains(a.phase())
                : a.planUid() == null && a.phase() == NodePhase.Idle;
    }

    private static String cleared(String what, String why, AgentReport a) {
        return what + " cleared by the operator: " + why + (a == null || a.phase() == null ? ""
                : "; the agent reported " + a.phase() + (a.reason() == null ? "" : " (" + a.reason() + ")"));
    }

    private static Outcome outcome(LunView lun, UpdateResult result, boolean rebooted, String message, Instant now) {
        return new Outcome(result, Reasons.PLAN_GONE, message, lun.ledger() == null ? 0 : lun.ledger().wave(),
                lun.ledger() == null ? null : lun.ledger().startedAt(), now, rebooted);
    }
}
