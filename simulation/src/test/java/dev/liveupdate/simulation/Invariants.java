package dev.liveupdate.simulation;

import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.FailedNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.operator.k8s.Annotations;
import dev.liveupdate.operator.planning.Budget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks, on every stored write, at every kexec and FINISH, and after every scheduler step (DESIGN.md's safety
 * invariants as far as the simulation can observe them; docs/testing.md lists which and why). The first violation
 * stops the run.
 */
final class Invariants implements ApiServer.Observer, SimAgent.KernelWatch {
    private final ApiServer api;
    private final Map<String, SimHost> hosts;
    private final Map<String, Integer> reboots = new HashMap<>();
    /** Nodes a person cordoned (the operator must never uncordon them). */
    final Set<String> cordonedByPerson = new HashSet<>();
    String violation;
    /** The plan as the operator's cache has it: a user's change to maxUnavailable binds from when the operator sees it. */
    java.util.function.Function<String, java.util.Optional<LiveUpdate>> operatorView = uid -> java.util.Optional.empty();
    /** The Node as the operator's cache has it. */
    java.util.function.Function<String, java.util.Optional<Node>> operatorNodes = name -> java.util.Optional.empty();

    Invariants(ApiServer api, Map<String, SimHost> hosts) {
        this.api = api;
        this.hosts = hosts;
    }

    private void violate(String v) {
        if (violation == null) {
            violation = v;
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void stored(ApiServer.Who who, String kind, HasMetadata before, HasMetadata after) {
        if (who != ApiServer.Who.OPERATOR || before == null || after == null) {
            return;
        }
        if (after instanceof Node n && before instanceof Node b) {
            boolean wasCordoned = Boolean.TRUE.equals(b.getSpec().getUnschedulable());
            boolean cordoned = Boolean.TRUE.equals(n.getSpec().getUnschedulable());
            String by = annotation(n, Annotations.CORDONED_BY);
            if (wasCordoned && !cordoned && (annotation(b, Annotations.CORDONED_BY) == null || cordonedByPerson.contains(n.getMetadata().getName()))) {
                violate("invariant 5: the operator uncordoned " + n.getMetadata().getName() + ", which it had not cordoned");
            }
            if (!wasCordoned && cordoned) {
                LiveUpdate plan = planByUid(by);
                LiveUpdateNode lun = api.lunView(n.getMetadata().getName());
                String holder = holder(lun);
                if (plan == null) {
                    violate("invariant 8: " + n.getMetadata().getName() + " cordoned for plan uid " + by + ", which does not exist");
                } else if (holder != null && !by.equals(holder)) {
                    violate("invariant 4: " + n.getMetadata().getName() + " cordoned by plan " + plan.getMetadata().getName()
                            + " while held by plan uid " + holder);
                } else {
                    // Held by no plan: the operator's LiveUpdateNode cache lags its Node cache (the object was re-created);
                    // harmless while no agent can reboot without an instruction, and the next pass must uncordon it
                    // (checked when the run settles: no plan's cordon mark on a node it does not hold).
                    checkBudget(plan, n.getMetadata().getName(), "cordoned");
                }
            }
        }
        if (after instanceof LiveUpdateNode l && before instanceof LiveUpdateNode b) {
            NodeInstruction was = b.getSpec().getInstruction();
            NodeInstruction is = l.getSpec().getInstruction();
            if (is != null && is.getStep() == NodeStep.Rebooted && (was == null || was.getStep() != NodeStep.Rebooted)) {
                LiveUpdate plan = planByUid(is.getPlan().getUid());
                if (plan == null) {
                    violate("invariant 8: " + l.getMetadata().getName() + " told to reboot by plan uid " + is.getPlan().getUid()
                            + ", which does not exist");
                } else {
                    checkBudget(plan, l.getMetadata().getName(), "told to reboot");
                }
            }
        }
    }

    /** Invariant 2: this node made disruptive now keeps the plan's unavailable count within maxUnavailable. */
    private void checkBudget(LiveUpdate plan, String adding, String what) {
        String uid = plan.getMetadata().getUid();
        int selected = 0;
        int unavailable = 0;
        for (Node n : api.nodesView()) {
            String name = n.getMetadata().getName();
            LiveUpdateNode lun = api.lunView(name);
            boolean sel = SelectorMatcher.matches(plan.getSpec().getNodeSelector(), n.getMetadata().getLabels());
            if (sel) {
                selected++;
            }
            if (!(sel || uid.equals(holder(lun))) || name.equals(adding)) {
                continue;
            }
            NodeInstruction in = lun == null ? null : lun.getSpec().getInstruction();
            NodePhase agent = lun == null || lun.getStatus() == null ? null : lun.getStatus().getPhase();
            // As RolloutInvariantsTest's World: a node told to reboot is in flight until its agent reports the update,
            // unless the plan recorded it failed (then only Ready and cordon count: a person takes it from there).
            String ledger = l(lun, Annotations.LEDGER);
            var failed = ledger == null ? null : dev.liveupdate.operator.k8s.LedgerCodec.decodeLedger(ledger);
            boolean disruptive = in != null && in.getStep() == NodeStep.Rebooted && agent != NodePhase.Updated
                    && agent != NodePhase.Finished && agent != NodePhase.Failed && (failed == null || failed.failure() == null);
            boolean markedByAPlan = annotation(n, Annotations.CORDONED_BY) != null;
            boolean down = !ready(n) || Boolean.TRUE.equals(n.getSpec().getUnschedulable());
            // Another actor's doing (a person's cordon, a node gone NotReady) binds once the operator can have seen it.
            Node seen = operatorNodes.apply(name).orElse(null);
            boolean seenDown = seen != null && (!ready(seen) || Boolean.TRUE.equals(seen.getSpec().getUnschedulable()));
            if (disruptive || markedByAPlan && down || down && seenDown) {
                unavailable++;
            }
        }
        int max = Budget.maxUnavailable(maxUnavailable(plan), selected);
        LiveUpdate seen = operatorView.apply(uid).orElse(null);
        if (seen != null) {
            max = Math.max(max, Budget.maxUnavailable(maxUnavailable(seen), selected));
        }
        if (unavailable + 1 > max) {
            violate("invariant 2: plan " + plan.getMetadata().getName() + " " + what + " " + adding + " with " + unavailable
                    + " other nodes unavailable and maxUnavailable " + max);
        }
    }

    private static IntOrString maxUnavailable(LiveUpdate plan) {
        return plan.getSpec().getStrategy() == null ? null : plan.getSpec().getStrategy().getMaxUnavailable();
    }

    // ---------------------------------------------------------------- kernel

    @Override
    public void beforeKexec(SimAgent agent) {
        String node = agent.node;
        LiveUpdateNode lun = api.lunView(node);
        NodeInstruction in = lun == null ? null : lun.getSpec().getInstruction();
        if (in == null || in.getStep() != NodeStep.Rebooted) {
            violate("invariant 1: " + node + " kexecs without a Rebooted instruction on record (" + (in == null ? "none" : in.getStep()) + ")");
            return;
        }
        LiveUpdate plan = api.planView(in.getPlan().getName());
        Node n = api.nodeView(node);
        if (plan == null || !plan.getMetadata().getUid().equals(in.getPlan().getUid()) || plan.getMetadata().getDeletionTimestamp() != null) {
            violate("invariant 8: " + node + " kexecs for plan " + in.getPlan().getName() + ", which no longer exists or is being deleted");
        } else if (n != null && !SelectorMatcher.matches(plan.getSpec().getNodeSelector(), n.getMetadata().getLabels())) {
            violate("invariant 8: " + node + " kexecs for plan " + in.getPlan().getName() + ", which does not select it");
        }
        String key = node + "/" + in.getPlan().getUid() + "/" + in.getPlan().getGeneration();
        if (reboots.merge(key, 1, Integer::sum) > 1) {
            violate("invariant 6: " + node + " kexecs a second time for plan " + in.getPlan().getName() + " generation "
                    + in.getPlan().getGeneration());
        }
        SimWorkload w = hosts.get(node).workload;
        // A registration whose request went on into this kexec has no reply yet: count it by the agent's table.
        if (w.accepted.isEmpty() && !w.inTheKernel(agent)) {
            violate("invariant 1: " + node + " kexecs with required session " + SimWorkload.SESSION + " empty");
        }
    }

    @Override
    public void beforeFinish(SimAgent agent) {
        SimWorkload w = hosts.get(agent.node).workload;
        if (!w.retrieved.containsAll(w.handedOver)) {
            violate("invariant 3: FINISH on " + agent.node + " before the workload took back tokens " + w.handedOver
                    + " (it has " + w.retrieved + ")");
        }
    }

    // ---------------------------------------------------------------- after every step

    void afterStep() {
        for (LiveUpdateNode l : api.lunsView()) {
            var s = l.getStatus();
            if (s != null && s.getPhase() == NodePhase.Failed && (blank(s.getReason()) || blank(s.getMessage()))) {
                violate("invariant 7: " + l.getMetadata().getName() + " Failed without a reason and message");
            }
        }
        for (LiveUpdate p : api.plansView()) {
            var s = p.getStatus();
            if (s == null) {
                continue;
            }
            if ((s.getPhase() == PlanPhase.Failed || s.getPhase() == PlanPhase.Halted) && blank(s.getMessage())) {
                violate("invariant 7: plan " + p.getMetadata().getName() + " " + s.getPhase() + " without a message");
            }
            for (FailedNode f : s.getFailedNodes() == null ? List.<FailedNode>of() : s.getFailedNodes()) {
                if (blank(f.getReason()) || blank(f.getMessage())) {
                    violate("invariant 7: plan " + p.getMetadata().getName() + " lists failed node " + f.getNode() + " without a reason");
                }
            }
        }
        for (SimHost h : hosts.values()) {
            if (!h.workload.lost.isEmpty() && h.agentDeathsSinceKexec == 0) {
                violate("preserved bytes lost: " + h.name + " answered LOST for tokens " + h.workload.lost
                        + " although no agent died since the kexec");
            }
        }
    }

    /** At the end of a run: every file lost has a record a person can act on. */
    void atEnd() {
        for (SimHost h : hosts.values()) {
            if (h.workload.lost.isEmpty()) {
                continue;
            }
            if (!lossRecorded(h)) {
                violate("invariant 7: " + h.name + " lost tokens " + h.workload.lost + " without a Failed record");
            }
        }
    }

    /** The node's LiveUpdateNode says its update failed (a person can act on the files lost). */
    boolean lossRecorded(SimHost h) {
        LiveUpdateNode l = api.lunView(h.name);
        var s = l == null ? null : l.getStatus();
        return s != null && (s.getPhase() == NodePhase.Failed && !blank(s.getReason())
                || s.getLastUpdate() != null && s.getLastUpdate().getResult() == dev.liveupdate.api.v1alpha1.UpdateResult.Failed);
    }

    private LiveUpdate planByUid(String uid) {
        return uid == null ? null : api.plansView().stream().filter(p -> uid.equals(p.getMetadata().getUid())).findFirst().orElse(null);
    }

    private static String holder(LiveUpdateNode l) {
        return l == null || l.getSpec().getInstruction() == null ? null : l.getSpec().getInstruction().getPlan().getUid();
    }

    private static String l(LiveUpdateNode lun, String key) {
        return lun == null ? null : annotation(lun, key);
    }

    private static String annotation(HasMetadata o, String key) {
        return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
    }

    static boolean ready(Node n) {
        return dev.liveupdate.operator.k8s.Views.ready(n);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
