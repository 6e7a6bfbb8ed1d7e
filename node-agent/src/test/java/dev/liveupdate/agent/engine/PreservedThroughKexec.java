package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.luo.Generation;
import java.nio.file.Path;

/**
 * For tests outside the engine package: a simulated node whose agent took one file (session "vm", token 1) from
 * {@code owner}, prepared plan "kernel-7-3" (uid {@link #PLAN_UID}) and kexec'd; the next agent process finds the machine
 * in {@link #machineDir} and its own records in {@link #stateDir}.
 */
public record PreservedThroughKexec(Path machineDir, Path stateDir, Path kernelDir, LiveUpdateNodeStatus rebooting) {
    public static final String PLAN_UID = "uid-1";
    public static final String SESSION = "vm";

    public static PreservedThroughKexec run(Path root, Generation generation, Peer owner, byte[] content) throws Exception {
        SimNode node = new SimNode(root, generation).boot();
        node.engine.preserve(owner, SESSION, 1, node.memfd(content));
        node.instruct(NodeStep.Prepared);
        try {
            node.instruct(NodeStep.Rebooted);
            throw new AssertionError("the node did not kexec: " + node.sink.last().getMessage());
        } catch (SimNode.KexecHappened expected) {
            // the old kernel ended the agent: what follows is the next process's
        }
        return new PreservedThroughKexec(node.simDir, node.agentDir, node.image.getParent(), node.sink.last());
    }
}
