package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.Blocker;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The review's findings on the planner (issue "Operator: the safety gaps"): blockers at the moment of disruption,
 * node-join semantics and release ordering, a plan that selects nothing.
 */
class JoinAndDisruptionTest {

    private static void withBlocker(World.SimPlan p) {
        Blocker b = new Blocker();
        b.setName("backup");
        b.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "backup").build());
        p.spec.setBlockers(List.of(b));
    }

    private static PassContext admit(World w, World.SimPlan p, BlockerCheck blockers) {
        PassContext pass = Passes.classified(w, p);
        RebootAdmission reboots = new RebootAdmission(pass, new UnavailabilityBudget(pass), blockers);
        reboots.admit();
        reboots.uncordonWaitingNodes();
        return pass;
    }

    private static List<String> describe(PassContext pass) {
        return Passes.actions(pass).stream().map(a -> a.getClass().getSimpleName() + " " + a.node()
                + (a instanceof NodeAction.IssueStep is ? " " + is.step() : "")).toList();
    }

    @Test
    void aBlockerThatLandsAfterThePrepareHoldsTheNodeBeforeTheCordon() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        withBlocker(p);
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        BlockerCheck backupOnNode0 = n -> n.equals("node-000") ? Optional.of("backup (pod ns/backup-1)") : Optional.empty();

        PassContext pass = admit(w, p, backupOnNode0);

        assertThat(describe(pass)).isEmpty();
        assertThat(Passes.node(pass, "node-000").note).contains("BlockerPod").contains("backup-1");
        assertThat(pass.waitingFor).contains("node-000 is held back by backup");
        assertThat(pass.requeueAfter()).isNotNull();
        assertThat(describe(admit(w, p, BlockerCheck.NONE))).as("once the pod is gone").containsExactly("Cordon node-000");
    }

    @Test
    void aBlockerFoundAfterTheCordonUncordonsInsteadOfRebooting() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        withBlocker(p);
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;

        PassContext pass = admit(w, p, n -> Optional.of("backup (pod ns/backup-2)"));

        assertThat(describe(pass)).containsExactly("Uncordon node-000");
    }

    @Test
    void aNodeWithANewerKernelIsNeverMovedBackUnlessThePlanSaysSo() {
        World w = new World().nodes(2);
        w.nodes.get("node-001").release = "99.0.0";
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-001").bucket).isEqualTo(NodeBucket.SKIPPED);
        assertThat(Passes.node(pass, "node-001").note).startsWith("NewerKernel: runs 99.0.0, newer than the plan's");
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.PENDING);

        p.spec.getStrategy().setAllowDowngrade(true);
        assertThat(Passes.node(Passes.classified(w, p), "node-001").bucket).isEqualTo(NodeBucket.PENDING);
    }

    @Test
    void underFrozenANodeCreatedAfterTheStartOrAfterSuccessIsLeftAlone() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        p.status = new LiveUpdateStatus();
        p.status.setPhase(PlanPhase.Progressing);
        p.status.setStartTime(w.now.minusSeconds(600).toString());
        w.nodes.get("node-001").createdAt = w.now.minusSeconds(60);   // joined during the rollout
        w.nodes.get("node-000").createdAt = w.now.minusSeconds(6000); // was there before

        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-001").note).startsWith("JoinedAfterStart: Node created");
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.PENDING);
        assertThat(Passes.node(pass, "node-002").bucket).as("creation unknown").isEqualTo(NodeBucket.PENDING);

        p.status.setPhase(PlanPhase.Succeeded);
        assertThat(Passes.node(Passes.classified(w, p), "node-000").note).contains("matched after the plan finished");

        p.spec.setNodeJoin(NodeJoinPolicy.Follow);
        PassContext follow = Passes.classified(w, p);
        assertThat(Passes.node(follow, "node-001").bucket).isEqualTo(NodeBucket.PENDING);
        assertThat(Passes.node(follow, "node-000").bucket).isEqualTo(NodeBucket.PENDING);
    }

    /** nodeJoin Follow with a selector that matches every node (as the world's selector predicate does). */
    private static void followEverything(World.SimPlan p) {
        p.spec.setNodeJoin(NodeJoinPolicy.Follow);
        p.spec.setNodeSelector(new io.fabric8.kubernetes.api.model.LabelSelector());
    }

    @Test
    void twoFollowPlansThatWouldBothTakeANewNodeNeverRaceForIt() {
        for (boolean olderFirst : new boolean[] {true, false}) {
            World w = new World().nodes(1);
            World.SimPlan older = w.plan("kernel-old", World.spec(1, 0));
            World.SimPlan newer = w.plan("kernel-new", World.spec(1, 0));
            older.spec.getKernel().setRelease("7.1.0");
            older.createdAt = w.now.minusSeconds(3600);
            newer.createdAt = w.now.minusSeconds(60);
            followEverything(older);
            followEverything(newer);

            for (World.SimPlan p : olderFirst ? List.of(older, newer) : List.of(newer, older)) {
                w.reconcile(p, -1, false);
            }
            assertThat(w.luns.get("node-000").planUid).as("older evaluated first: %s", olderFirst)
                    .isEqualTo(newer.uid);
            // Evaluated first, the older plan yields (skipped); evaluated after, it finds the node held (a Conflict).
            assertThat(older.status.getMessage()).contains(olderFirst ? "(FollowPrecedence: node-000)"
                    : "node-000 (HeldByOtherPlan)");
        }
        // The node's note names the winner (before it takes the node, which then shows in its instruction).
        World w = new World().nodes(1);
        World.SimPlan older = w.plan("kernel-old", World.spec(1, 0));
        World.SimPlan newer = w.plan("kernel-new", World.spec(1, 0));
        older.spec.getKernel().setRelease("7.1.0");
        followEverything(older);
        followEverything(newer);
        older.precedence = w.followPrecedence();
        assertThat(Passes.node(Passes.classified(w, older), "node-000").note).startsWith(
                "FollowPrecedence: plan kernel-new (release " + World.TARGET + ") takes it first");
    }

    @Test
    void equalReleasesGoToTheOlderFollowPlanAndOtherPoliciesStillRace() {
        World w = new World().nodes(1);
        World.SimPlan first = w.plan("zz-first", World.spec(1, 0));
        World.SimPlan second = w.plan("aa-second", World.spec(1, 0));
        first.createdAt = w.now.minusSeconds(3600);
        second.createdAt = w.now.minusSeconds(60);
        followEverything(first);
        followEverything(second);
        w.reconcile(second, -1, false);
        w.reconcile(first, -1, false);
        assertThat(w.luns.get("node-000").planUid).isEqualTo(first.uid);

        // One Follow plan, one Frozen: not ranked; the first to write holds the node (documented as a Conflict).
        World v = new World().nodes(1);
        World.SimPlan follow = v.plan("follow", World.spec(1, 0));
        World.SimPlan frozen = v.plan("frozen", World.spec(1, 0));
        followEverything(follow);
        frozen.spec.setNodeSelector(new io.fabric8.kubernetes.api.model.LabelSelector());
        follow.createdAt = v.now.minusSeconds(3600);
        frozen.createdAt = v.now.minusSeconds(7200);
        v.reconcile(frozen, -1, false);
        v.reconcile(follow, -1, false);
        assertThat(v.luns.get("node-000").planUid).isEqualTo(frozen.uid);
        assertThat(follow.status.getMessage()).contains("node-000 (HeldByOtherPlan)");
        assertThat(follow.status.getConditions()).anyMatch(c -> "Conflict".equals(c.getType())
                && "True".equals(c.getStatus()) && c.getMessage().contains("frozen"));
    }

    @Test
    void aPlanThatSelectsNoNodeSaysSoAndIsStalledNotReconciling() {
        World w = new World();
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        LiveUpdateStatus s = w.planner.plan(Passes.input(p), w.entries(p), w.now, BlockerCheck.NONE).status();
        assertThat(s.getPhase()).isEqualTo(PlanPhase.Pending);
        assertThat(s.getMessage()).contains("no node matches spec.nodeSelector");
        Map<String, Condition> c = new java.util.HashMap<>();
        s.getConditions().forEach(x -> c.put(x.getType(), x));
        assertThat(c.get("Reconciling").getStatus()).isEqualTo("False");
        assertThat(c.get("Stalled").getStatus()).isEqualTo("True");
        assertThat(c.get("Stalled").getReason()).isEqualTo("Pending");
    }

    @Test
    void blockerLookUpsRotateSoLaterNodesGetTheirTurn() {
        World w = new World().nodes(WaveStart.MAX_BLOCKER_CHECKS + 50);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        withBlocker(p);
        PassContext pass = Passes.classified(w, p);
        List<Tracked> ordered = pass.tracked.stream().sorted(RolloutOrder.BY_NAME).toList();
        List<Tracked> first = new WaveStart(pass, BlockerCheck.NONE).blockerFairOrder(ordered);
        w.now = w.now.plus(WaveStart.BLOCKER_RECHECK);
        PassContext later = Passes.classified(w, p);
        List<Tracked> second = new WaveStart(later, BlockerCheck.NONE)
                .blockerFairOrder(later.tracked.stream().sorted(RolloutOrder.BY_NAME).toList());
        assertThat(first).hasSize(ordered.size());
        assertThat(first.get(0).name()).isNotEqualTo(second.get(0).name());
    }

    @Test
    void aNodeWeCordonedIsUncordonedWhenTheBudgetIsGoneBeforeItsReboot() {
        World w = new World().nodes(3);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        Passes.hold(w, p, "node-000", NodeStep.Prepared, 1, NodePhase.Prepared);
        w.nodes.get("node-000").unschedulable = true;
        w.nodes.get("node-000").cordonedBy = p.uid;
        w.nodes.get("node-002").ready = false; // another selected node went down after our cordon

        PassContext pass = admit(w, p, BlockerCheck.NONE);

        assertThat(describe(pass)).containsExactly("Uncordon node-000");
        assertThat(pass.waitingFor).contains("unavailability budget");
    }

    @Test
    void controlPlaneNodesOnlyWhenTheAdminAllowsIt() {
        World w = new World().nodes(2);
        w.nodes.get("node-001").labels.put("node-role.kubernetes.io/control-plane", "");
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        PassContext pass = Passes.classified(w, p);
        assertThat(Passes.node(pass, "node-001").note).startsWith("ControlPlaneNode");
        assertThat(Passes.node(pass, "node-000").bucket).isEqualTo(NodeBucket.PENDING);

        PassContext allowed = new PassContext(new RolloutPlanner.Plan(p.name, p.uid, p.generation, false,
                p.settings().withControlPlaneAllowed(true), p.status), w.entries(p), w.now);
        new FreeNodeClassifier(allowed).classify(Passes.node(allowed, "node-001"));
        assertThat(Passes.node(allowed, "node-001").bucket).isEqualTo(NodeBucket.PENDING);
    }

    @Test
    void theStatusNamesWhySkippedNodesWereLeftOut() {
        World w = new World().nodes(3);
        w.nodes.get("node-001").release = "99.0.0";
        w.nodes.get("node-002").capable = false;
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        LiveUpdateStatus s = w.planner.plan(Passes.input(p), w.entries(p), w.now, BlockerCheck.NONE).status();
        assertThat(s.getMessage()).contains("2 skipped (NewerKernel: node-001; NotCapable: node-002)");
    }
}
