package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.HealthGates;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PodHealthGate;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health gates: a node verified in the new kernel is done only once its gates hold, or fails when they do not. */
class HealthGateTest {
    private static final String VM_NOT_READY = "gate vms: pod tenant/vm-1 is not Ready (phase Running)";

    @Test
    void aNodeWhosePodsAreNotReadyStaysCordonedAndUnfinishedAndTheNextNodeWaits() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", gated(World.spec(1, 0), "10m", null));
        w.unhealthyPods.put("node-000", List.of(VM_NOT_READY));
        rounds(w, p, 8, Duration.ofSeconds(5));

        World.SimLun l = w.luns.get("node-000");
        assertThat(l.phase).as("restored in the new kernel").isEqualTo(NodePhase.Updated);
        assertThat(l.step).as("not told to finish").isEqualTo(NodeStep.Rebooted);
        assertThat(l.ledger.gateSince()).as("the gates' clock is in the ledger").isNotNull();
        assertThat(w.nodes.get("node-000").unschedulable).isTrue();
        assertThat(w.luns.get("node-001").step).as("maxUnavailable 1: the next node waits").isNull();
        assertThat(p.status.getMessage()).contains("node-000 health gates: " + VM_NOT_READY);
        assertThat(p.last.requeueAfter()).as("pods are not watched: look again soon")
                .isLessThanOrEqualTo(HealthGate.POLL);

        w.unhealthyPods.clear(); // the VM is Ready again
        untilQuiet(w, p);
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
        assertThat(w.nodes.values()).noneMatch(n -> n.unschedulable);
        assertThat(w.violations).isEmpty();
    }

    @Test
    void gatesThatDoNotHoldWithinTheTimeoutFailTheNodeHeldCordonedAndHaltThePlan() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", gated(World.spec(1, 0), "2m", null));
        w.unhealthyPods.put("node-000", List.of(VM_NOT_READY, "gate vms: pod tenant/vm-2 failed (Error)"));
        rounds(w, p, 8, Duration.ofSeconds(5));
        assertThat(w.luns.get("node-000").ledger.failure()).as("within the timeout: waiting").isNull();

        untilQuiet(w, p);
        World.SimLun l = w.luns.get("node-000");
        assertThat(l.ledger.failure().reason()).isEqualTo(Reasons.HEALTH_GATE_FAILED);
        assertThat(l.ledger.failure().message()).contains("within 2m").contains(VM_NOT_READY)
                .contains("tenant/vm-2 failed");
        assertThat(l.step).as("the restore is not finished: a person decides").isEqualTo(NodeStep.Rebooted);
        assertThat(w.nodes.get("node-000").unschedulable).as("held cordoned for a person").isTrue();
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Halted);
        assertThat(p.status.getFailedNodes()).extracting(f -> f.getReason())
                .containsExactly(Reasons.HEALTH_GATE_FAILED);
        assertThat(w.luns.get("node-001").step).as("maxFailures 0: no other node started").isNull();
        assertThat(w.violations).isEmpty();
    }

    @Test
    void theNodeMustHaveBeenReadyForTheWholeNodeReadyForAfterItsVerification() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", gated(World.spec(1, 0), "10m", "60s"));
        rounds(w, p, 6, Duration.ofSeconds(5));
        World.SimLun l = w.luns.get("node-000");
        assertThat(l.ledger.gateSince()).isNotNull();
        assertThat(l.step).isEqualTo(NodeStep.Rebooted);
        assertThat(p.status.getMessage()).contains("node Ready for").contains("of 1m");

        // It flaps: Ready again 40 s after the gates started; the 60 s count from then.
        World.SimNode n = w.nodes.get("node-000");
        n.readySince = l.ledger.gateSince().plusSeconds(40);
        n.rv++;
        w.now = l.ledger.gateSince().plusSeconds(90);
        w.reconcile(p);
        assertThat(l.step).as("Ready for 50 s only").isEqualTo(NodeStep.Rebooted);
        w.now = l.ledger.gateSince().plusSeconds(101);
        w.reconcile(p);
        assertThat(l.step).isEqualTo(NodeStep.Finished);
        untilQuiet(w, p);
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
    }

    @Test
    void aNotReadyNodeOnItsGatesWaitsForTheGateTimeoutNotTheRebootTimeout() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", gated(World.spec(1, 0), "30m", null));
        p.spec.setTimeouts(new dev.liveupdate.api.v1alpha1.PhaseTimeouts());
        p.spec.getTimeouts().setReboot("5m");
        w.unhealthyPods.put("node-000", List.of(VM_NOT_READY));
        rounds(w, p, 6, Duration.ofSeconds(5));
        World.SimNode n = w.nodes.get("node-000");
        n.ready = false;
        n.rv++;
        w.advance(Duration.ofMinutes(10));
        w.reconcile(p);
        World.SimLun l = w.luns.get("node-000");
        assertThat(l.ledger.failure()).as("10 min after the reboot instruction, within the gates' 30 min").isNull();
        assertThat(p.status.getMessage()).contains("node is not Ready");
        w.advance(Duration.ofMinutes(25));
        w.reconcile(p);
        assertThat(l.ledger.failure().reason()).isEqualTo(Reasons.HEALTH_GATE_FAILED);
        assertThat(l.ledger.failure().message()).contains("node is not Ready");
    }

    @Test
    void cancellingThePlanFinishesANodeWaitingOnItsGates() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", gated(World.spec(1, 0), "10m", null));
        w.unhealthyPods.put("node-000", List.of(VM_NOT_READY));
        rounds(w, p, 6, Duration.ofSeconds(5));
        assertThat(w.luns.get("node-000").step).isEqualTo(NodeStep.Rebooted);

        p.spec.setCancel(true);
        p.generation++;
        untilQuiet(w, p);
        assertThat(w.luns.get("node-000").lastUpdateResult).as("a rebooted node is finished on cancel, gates or not")
                .isEqualTo(dev.liveupdate.api.v1alpha1.UpdateResult.Finished);
        assertThat(w.nodes.get("node-000").unschedulable).isFalse();
        assertThat(w.violations).isEmpty();
    }

    @Test
    void aPlanWithoutGatesWritesNoGateClock() {
        World w = new World().nodes(1);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        w.unhealthyPods.put("node-000", List.of(VM_NOT_READY)); // no gates: nobody asks
        untilQuiet(w, p);
        assertThat(p.status.getPhase()).isEqualTo(PlanPhase.Succeeded);
    }

    @Test
    void aCheckPodMustPassAndOneThatFailsFailsTheNodeAtOnce() {
        World w = new World().nodes(2);
        World.SimPlan p = w.plan("p", World.spec(1, 0));
        HealthGates g = new HealthGates();
        dev.liveupdate.api.v1alpha1.CheckPod check = new dev.liveupdate.api.v1alpha1.CheckPod();
        check.setImage("registry.example/checks/kvm@sha256:" + "0".repeat(64));
        g.setCheckPod(check);
        g.setTimeout("10m");
        p.spec.setHealthGates(g);
        w.checkPods.put("node-000", new HealthProbe.CheckPodResult(HealthProbe.CheckPodResult.State.WAITING,
                "check pod job checks/lu-check-1 has not completed"));
        rounds(w, p, 8, Duration.ofSeconds(5));
        assertThat(w.checkPodsAsked).as("asked only once the node runs the new kernel").containsOnly("node-000");
        assertThat(w.luns.get("node-000").step).isEqualTo(NodeStep.Rebooted);
        assertThat(p.status.getMessage()).contains("lu-check-1 has not completed");

        w.checkPods.put("node-000", new HealthProbe.CheckPodResult(HealthProbe.CheckPodResult.State.FAILED,
                "job checks/lu-check-1 BackoffLimitExceeded: Job has reached the specified backoff limit"));
        w.reconcile(p);
        World.SimLun l = w.luns.get("node-000");
        assertThat(l.ledger.failure().reason()).as("well within the timeout: a failed check fails at once")
                .isEqualTo(Reasons.HEALTH_GATE_FAILED);
        assertThat(l.ledger.failure().message()).startsWith("the check pod failed: job checks/lu-check-1");
        assertThat(w.nodes.get("node-000").unschedulable).isTrue();

        w.checkPods.clear();
        World w2 = new World().nodes(2);
        World.SimPlan p2 = w2.plan("p", World.spec(1, 0));
        p2.spec.setHealthGates(g);
        untilQuiet(w2, p2);
        assertThat(p2.status.getPhase()).as("checks that pass").isEqualTo(PlanPhase.Succeeded);
        assertThat(w2.checkPodsAsked).contains("node-000", "node-001");
    }

    static dev.liveupdate.api.v1alpha1.LiveUpdateSpec gated(dev.liveupdate.api.v1alpha1.LiveUpdateSpec s,
            String timeout, String nodeReadyFor) {
        HealthGates g = new HealthGates();
        PodHealthGate vms = new PodHealthGate();
        vms.setName("vms");
        vms.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("kubevirt.io", "virt-launcher").build());
        g.setPods(List.of(vms));
        g.setTimeout(timeout);
        g.setNodeReadyFor(nodeReadyFor);
        s.setHealthGates(g);
        return s;
    }

    private static void rounds(World w, World.SimPlan p, int n, Duration step) {
        for (int i = 0; i < n; i++) {
            w.reconcile(p);
            w.agentsUntilQuiet();
            w.advance(step);
        }
    }

    private static void untilQuiet(World w, World.SimPlan p) {
        rounds(w, p, 60, Duration.ofSeconds(30));
    }
}
