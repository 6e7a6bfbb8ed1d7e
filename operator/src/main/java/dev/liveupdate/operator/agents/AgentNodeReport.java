package dev.liveupdate.operator.agents;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.List;

/**
 * What a node's LiveUpdateNode says about what its agent holds, as far as restarting that agent is concerned.
 *
 * @param instructionPlan name of the plan whose instruction the node carries (null: no instruction)
 * @param step            that instruction's step
 * @param phase           the agent's reported phase (null: the agent never reported)
 * @param phasePlan       name of the plan the phase reports on (null when none)
 * @param reason          the agent's machine-readable reason (e.g. UnreleasedRestore)
 * @param restoreHeld     condition RestoreHeld is True: the kernel keeps a failed restore's files for the workloads
 * @param heldSessions    sessions the agent holds open (state Created or Retrieved)
 */
public record AgentNodeReport(String node, String instructionPlan, NodeStep step, NodePhase phase,
        String phasePlan, String reason, boolean restoreHeld, List<String> heldSessions) {
}
