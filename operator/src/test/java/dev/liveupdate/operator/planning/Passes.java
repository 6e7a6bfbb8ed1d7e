package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.util.List;

/**
 * Builds one planning pass over a {@link World} for the tests of single decisions: the context as
 * {@link RolloutPlanner} makes it, and the pass carried up to the point where a decision runs.
 */
final class Passes {
    private Passes() {
    }

    static RolloutPlanner.Plan input(World.SimPlan p) {
        return new RolloutPlanner.Plan(p.name, p.uid, p.generation, p.deleting, p.settings(), p.status);
    }

    /** A fresh context, nothing decided yet. */
    static PassContext of(World w, World.SimPlan p) {
        return new PassContext(input(p), w.entries(p), w.now);
    }

    /** The pass after every node was looked at (notes read, barriers checked, held moved, free classified). */
    static PassContext classified(World w, World.SimPlan p) {
        PassContext pass = of(w, p);
        RolloutPlanner.lookAtEveryNode(pass);
        return pass;
    }

    static Tracked node(PassContext pass, String name) {
        return pass.tracked.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static List<NodeAction> actions(PassContext pass) {
        return pass.writes.actions();
    }

    /**
     * Lets plan {@code p} hold {@code node} at {@code step} of {@code wave} since now, with the agent caught up and
     * reporting {@code agent}; a Rebooted step records the node's current boot ID as the one before the reboot.
     */
    static World.SimLun hold(World w, World.SimPlan p, String node, NodeStep step, int wave, NodePhase agent) {
        World.SimLun l = w.luns.get(node);
        l.planUid = p.uid;
        l.planName = p.name;
        l.planGeneration = p.generation;
        l.step = step;
        l.ledger = new Ledger(p.uid, wave, w.now, w.now,
                step == NodeStep.Rebooted || step == NodeStep.Finished ? w.nodes.get(node).bootID : null, null, null,
                null);
        l.phase = agent;
        l.statusPlan = p.uid;
        l.observed = l.generation;
        l.rv++;
        return l;
    }

    /** The node came back from its reboot into {@code release}, Ready, with a new boot ID. */
    static void rebootedInto(World w, String node, String release) {
        World.SimNode n = w.nodes.get(node);
        n.bootID = n.bootID + "-new";
        n.release = release;
        n.ready = true;
        n.rv++;
    }
}
