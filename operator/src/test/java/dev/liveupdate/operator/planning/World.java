package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.KernelDirectory;
import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory cluster for the planner: Nodes, LiveUpdateNodes with the API server's rules (resourceVersion
 * preconditions, the CEL rules on instructions), simulated agents, and checks of the safety invariants on every write.
 * The planner is re-run from this persisted state only, which is exactly what an operator restart does.
 */
final class World {
    static final String TARGET = "7.2.0-1-amd64";
    static final String OLD = "6.12.0-1-amd64";

    /**
     * How a node's agent behaves. {@code RESTART_BEFORE_KEXEC}: its process restarts once per plan when Prepared (at
     * step Prepared or Rebooted, before the kexec) and prepares again, as the real agent's PrepareRestarts does.
     */
    enum Agent { OK, FAIL_PREPARE, HANG_PREPARE, FAIL_REBOOT, NEVER_BACK, WRONG_KERNEL, FAIL_FINISH, DEAD, RESTART_BEFORE_KEXEC,
        /** Its workload never acks the freeze: at Rebooted it fails FreezeTimeout without rebooting (onTimeout Abort). */
        FREEZE_TIMEOUT }

    static final class SimNode {
        final String name;
        Map<String, String> labels = new HashMap<>();
        boolean ready = true;
        boolean unschedulable;
        String cordonedBy;
        /** Who really cordoned it: a plan uid or "someone". The planner never sees this. */
        String truth;
        String bootID;
        String release = OLD;
        long rv = 1;
        Agent agent = Agent.OK;
        boolean capable = true;
        boolean hasLun = true;
        /** The blackout its agent reports once Finished (status.blackout.durationMillis); null: none measured. */
        Long blackoutMillis = 4200L;
        /** When the Node object was created; null: unknown (never counts as joined after a plan started). */
        Instant createdAt;
        /** Its lifecycle conditions (KEP-5683); null: none. */
        NodeMaintenance maintenance;
        /** When its Ready condition last changed; null: unknown. */
        Instant readySince;
        /** What its agent reports for fleet preflight: by default the target kernel in /boot, kexec allowed. */
        PreflightFacts preflight = passingPreflight();

        SimNode(String name) {
            this.name = name;
            this.bootID = "boot-" + name + "-0";
        }

        NodeView view() {
            return new NodeView(name, Map.copyOf(labels), ready, unschedulable, cordonedBy, bootID, release,
                    Long.toString(rv), createdAt, maintenance, readySince);
        }
    }

    static final class SimLun {
        long generation = 1;
        long rv = 1;
        String planUid;
        String planName;
        long planGeneration;
        NodeStep step;
        Ledger ledger;
        Map<String, Outcome> outcomes = new HashMap<>();
        NodePhase phase = NodePhase.Idle;
        String statusPlan;
        Long observed = 1L;
        String reason;
        String lastUpdatePlan;
        UpdateResult lastUpdateResult;
        /** status.prepareRestarts: the agent started its preparation over after restarts before the kexec. */
        Integer prepareRestarts;
        /** Plans whose preparation this agent already started over (RESTART_BEFORE_KEXEC restarts once per plan). */
        java.util.Set<String> restartedFor = new java.util.HashSet<>();
        /** The agent is half-way through a reboot (old kernel gone, new not up). */
        boolean rebooting;
        /** spec.stage as the operator wrote it. */
        List<dev.liveupdate.api.v1alpha1.StageRequest> stage = List.of();
        /** status.staging as the agent reports it (tests move it; {@link #agentStep} stages what is asked). */
        List<dev.liveupdate.api.v1alpha1.StagedArtifact> staging;
        /** The agent's staging fails with this reason (null: it stages what is asked on its next step). */
        String stagingFails;
        /** LiveUpdateNode writes that changed spec.stage. */
        int stageWrites;
    }

    static final class SimPlan {
        final String name;
        final String uid;
        long generation = 1;
        LiveUpdateSpec spec;
        Predicate<Map<String, String>> selector = l -> true;
        boolean deleting;
        boolean gone;
        LiveUpdateStatus status;
        Decision last;
        /** metadata.creationTimestamp (null: unknown), for the Follow plans' precedence. */
        Instant createdAt;
        /** The operator's ranking of the Follow plans, set by {@link #reconcile} as the reconciler does per pass. */
        FollowPrecedence precedence = FollowPrecedence.NONE;

        SimPlan(String name, LiveUpdateSpec spec) {
            this.name = name;
            this.uid = "uid-" + name;
            this.spec = spec;
        }

        PlanSettings settings() {
            return PlanSettings.from(spec).withFollowPrecedence(precedence);
        }
    }

    final Map<String, SimNode> nodes = new TreeMap<>();
    final Map<String, SimLun> luns = new TreeMap<>();
    final Map<String, SimPlan> plans = new LinkedHashMap<>();
    final Map<String, Integer> rebootsAsked = new HashMap<>();
    final Map<String, Integer> rebootsDone = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    final RolloutPlanner planner = new RolloutPlanner();
    Instant now = Instant.parse("2026-03-02T10:00:00Z");
    Map<String, String> blockedByPods = new HashMap<>();
    /** What the plan's pod health gates find on a node (what {@code PodHealthProbe} would list); absent: healthy. */
    Map<String, List<String>> unhealthyPods = new HashMap<>();
    /** Where a node's check pod stands (what {@code CheckPodJob} would answer); absent: passed. */
    Map<String, HealthProbe.CheckPodResult> checkPods = new HashMap<>();
    /** The nodes whose check pod the planner asked about, in order. */
    List<String> checkPodsAsked = new ArrayList<>();
    int bootCounter;

    /** An inventory that passes preflight for {@link #spec}: the target's image in /boot (no hash), no lockdown. */
    static PreflightFacts passingPreflight() {
        PreflightFacts f = new PreflightFacts();
        f.setKernelDirs(List.of(new KernelDirectory("/boot", 8L << 30)));
        f.setKernelFiles(List.of(new KernelImageFile("/boot/vmlinuz-" + TARGET, 12_000_000L, null)));
        f.setLockdown(LockdownMode.None);
        f.setKexecSignatureEnforced(false);
        f.setKexecLoadDisabled(false);
        return f;
    }

    static LiveUpdateSpec spec(int maxUnavailable, int canary) {
        LiveUpdateSpec s = new LiveUpdateSpec();
        KernelSpec k = new KernelSpec();
        k.setRelease(TARGET);
        k.setImage("/boot/vmlinuz-" + TARGET);
        s.setKernel(k);
        RolloutStrategy r = new RolloutStrategy();
        r.setMaxUnavailable(new IntOrString(maxUnavailable));
        r.setCanaryNodes(canary);
        s.setStrategy(r);
        return s;
    }

    World nodes(int n) {
        for (int i = 0; i < n; i++) {
            String name = String.format("node-%03d", i);
            nodes.put(name, new SimNode(name));
            luns.put(name, new SimLun());
        }
        return this;
    }

    SimPlan plan(String name, LiveUpdateSpec spec) {
        SimPlan p = new SimPlan(name, spec);
        plans.put(name, p);
        return p;
    }

    // ---- snapshot -----------------------------------------------------------------------------------------------

    List<NodeEntry> entries(SimPlan p) {
        List<NodeEntry> out = new ArrayList<>();
        for (String name : allNames()) {
            SimNode n = nodes.get(name);
            SimLun l = luns.get(name);
            boolean selected = n != null && p.selector.test(n.labels);
            boolean held = l != null && p.uid.equals(l.planUid);
            boolean cordoned = n != null && p.uid.equals(n.cordonedBy);
            boolean outcome = l != null && l.outcomes.containsKey(p.uid);
            if (selected || held || cordoned || outcome) {
                out.add(new NodeEntry(name, n == null ? null : n.view(), lunView(name), selected));
            }
        }
        return out;
    }

    private List<String> allNames() {
        TreeMap<String, Boolean> names = new TreeMap<>();
        nodes.keySet().forEach(k -> names.put(k, true));
        luns.keySet().forEach(k -> names.put(k, true));
        return new ArrayList<>(names.keySet());
    }

    LunView lunView(String name) {
        SimLun l = luns.get(name);
        SimNode n = nodes.get(name);
        if (l == null || n != null && !n.hasLun) {
            return null;
        }
        AgentReport a = new AgentReport(l.phase, l.statusPlan, l.observed, n == null || n.capable,
                n != null && !n.capable ? "no /dev/liveupdate" : null, n == null ? null : n.bootID,
                n == null ? null : n.release, l.reason, l.reason == null ? null : "agent says " + l.reason,
                l.phase == NodePhase.Finished && n != null ? n.blackoutMillis : null, l.lastUpdatePlan, l.lastUpdateResult, l.prepareRestarts, n == null ? null : n.preflight,
                l.staging);
        return new LunView(name, l.generation, Long.toString(l.rv), l.planUid, l.planName, l.step, l.ledger, a,
                Map.copyOf(l.outcomes), l.stage);
    }

    /** Every Follow plan of this world, ranked (LiveUpdateReconciler does the same from its plan cache). */
    FollowPrecedence followPrecedence() {
        return new FollowPrecedence(plans.values().stream().filter(p -> !p.gone)
                .flatMap(p -> FollowPlan.of(p.name, p.uid, p.createdAt == null ? null : p.createdAt.toString(),
                        p.deleting, p.spec).stream()).toList());
    }

    // ---- the operator ---------------------------------------------------------------------------------------------

    /** One reconcile of one plan; {@code applyOnly} < 0 applies everything, otherwise only that many actions. */
    Decision reconcile(SimPlan p, int applyOnly, boolean loseStatus) {
        p.precedence = followPrecedence();
        RolloutPlanner.Plan in = new RolloutPlanner.Plan(p.name, p.uid, p.generation, p.deleting, p.settings(),
                p.status);
        Decision d = planner.plan(in, entries(p), now, node -> java.util.Optional.ofNullable(blockedByPods.get(node)),
                new HealthProbe() {
                    @Override
                    public List<String> unhealthyPods(String node) {
                        return World.this.unhealthyPods.getOrDefault(node, List.of());
                    }

                    @Override
                    public CheckPodResult checkPod(String node) {
                        checkPodsAsked.add(node);
                        return checkPods.getOrDefault(node, CheckPodResult.PASSED);
                    }
                });
        p.last = d;
        int n = applyOnly < 0 ? d.actions().size() : Math.min(applyOnly, d.actions().size());
        java.util.Set<String> failedNodes = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            NodeAction a = d.actions().get(i);
            if (failedNodes.contains(a.node())) {
                continue;
            }
            if (!apply(p, a)) {
                failedNodes.add(a.node());
            }
        }
        if (!loseStatus && n == d.actions().size()) {
            p.status = d.status();
        }
        if (p.deleting && d.released() && n == d.actions().size() && d.actions().isEmpty()) {
            p.gone = true;
        }
        return d;
    }

    Decision reconcile(SimPlan p) {
        return reconcile(p, -1, false);
    }

    boolean apply(SimPlan p, NodeAction a) {
        SimNode n = nodes.get(a.node());
        SimLun l = luns.get(a.node());
        if (a instanceof NodeAction.IssueStep is) {
            if (l == null || !Long.toString(l.rv).equals(is.lunResourceVersion())) {
                return false;
            }
            if (l.planUid != null && !l.planUid.equals(p.uid)) {
                violations.add("invariant 4: " + p.name + " wrote into " + a.node() + " held by " + l.planName);
                return false; // the CEL rule rejects it
            }
            if (l.step == NodeStep.Rebooted && is.step() != NodeStep.Rebooted && is.step() != NodeStep.Finished) {
                violations.add("CEL: " + p.name + " moved " + a.node() + " from Rebooted to " + is.step());
                return false;
            }
            if (is.step() == NodeStep.Rebooted && l.step != NodeStep.Rebooted) {
                checkBudget(p, a.node());
                int c = rebootsAsked.merge(p.uid + "/" + a.node(), 1, Integer::sum);
                if (c > 1) {
                    violations.add("invariant 6: " + a.node() + " asked to reboot " + c + " times by " + p.name);
                }
            }
            if (l.step != is.step()) {
                l.generation++;
            }
            l.planUid = p.uid;
            l.planName = p.name;
            l.planGeneration = p.generation;
            l.step = is.step();
            l.ledger = is.ledger();
            l.rv++;
        } else if (a instanceof NodeAction.UpdateLedger ul) {
            if (l == null || !Long.toString(l.rv).equals(ul.lunResourceVersion()) || !p.uid.equals(l.planUid)) {
                return false;
            }
            l.ledger = ul.ledger();
            l.rv++;
        } else if (a instanceof NodeAction.Release r) {
            if (l == null || !Long.toString(l.rv).equals(r.lunResourceVersion())) {
                return false;
            }
            if (!p.uid.equals(l.planUid)) {
                violations.add("invariant 4: " + p.name + " cleared " + a.node() + " held by " + l.planName);
                return false;
            }
            l.planUid = null;
            l.planName = null;
            l.step = null;
            l.ledger = null;
            if (r.outcome() != null) {
                l.outcomes.put(p.uid, r.outcome());
            }
            l.generation++;
            l.rv++;
        } else if (a instanceof NodeAction.SetStage st) {
            if (l == null || !Long.toString(l.rv).equals(st.lunResourceVersion())) {
                return false;
            }
            l.stage = st.stage();
            l.stageWrites++;
            l.rv++;
        } else if (a instanceof NodeAction.ForgetOutcome f) {
            if (l == null || !Long.toString(l.rv).equals(f.lunResourceVersion())) {
                return false;
            }
            l.outcomes.remove(p.uid);
            l.rv++;
        } else if (a instanceof NodeAction.Cordon c) {
            if (n == null || !Long.toString(n.rv).equals(c.nodeResourceVersion())) {
                return false;
            }
            if (n.unschedulable) {
                violations.add(p.name + " cordoned already cordoned " + a.node());
                return false;
            }
            checkBudget(p, a.node());
            n.unschedulable = true;
            n.cordonedBy = p.uid;
            n.truth = p.uid;
            n.rv++;
        } else if (a instanceof NodeAction.Uncordon u) {
            if (n == null || !Long.toString(n.rv).equals(u.nodeResourceVersion())) {
                return false;
            }
            if (!p.uid.equals(n.cordonedBy)) {
                violations.add("invariant 5: " + p.name + " uncordoned " + a.node() + " marked by " + n.cordonedBy);
                return false;
            }
            if (n.unschedulable && !p.uid.equals(n.truth)) {
                violations.add("invariant 5: " + p.name + " uncordoned " + a.node() + " cordoned by " + n.truth);
            }
            n.unschedulable = false;
            n.cordonedBy = null;
            n.truth = null;
            n.rv++;
        }
        return true;
    }

    /** Invariant 2: adding one more disruptive node must keep the plan's unavailable count within maxUnavailable. */
    private void checkBudget(SimPlan p, String adding) {
        PlanSettings s = p.settings();
        int selected = 0;
        int unavailable = 0;
        for (SimNode n : nodes.values()) {
            SimLun l = luns.get(n.name);
            boolean sel = p.selector.test(n.labels);
            boolean held = l != null && p.uid.equals(l.planUid);
            if (sel) {
                selected++;
            }
            if (!(sel || held) || n.name.equals(adding)) {
                continue; // the node being added is counted by the "+ 1" below
            }
            boolean disruptive = held && l.step == NodeStep.Rebooted
                    && !((l.phase == NodePhase.Updated || l.phase == NodePhase.Finished) && n.ready)
                    && !(l.ledger != null && l.ledger.failure() != null);
            if (!n.ready || n.unschedulable || disruptive) {
                unavailable++;
            }
        }
        int max = Budget.maxUnavailable(s.maxUnavailable(), selected);
        if (unavailable + 1 > max) {
            violations.add("invariant 2: " + p.name + " made " + adding + " disruptive with " + unavailable
                    + " unavailable and maxUnavailable " + max + " at " + now);
        }
    }

    // ---- agents and the world ------------------------------------------------------------------------------------

    /** Every agent takes at most one step. */
    void agents(Random rnd, double speed) {
        for (Map.Entry<String, SimLun> e : luns.entrySet()) {
            if (rnd.nextDouble() < speed) {
                agentStep(e.getKey(), e.getValue());
            }
        }
    }

    void agentsUntilQuiet() {
        for (int i = 0; i < 6; i++) {
            luns.forEach(this::agentStep);
        }
    }

    void agentStep(String name, SimLun l) {
        SimNode n = nodes.get(name);
        if (n == null || n.agent == Agent.DEAD) {
            return;
        }
        stageStep(l);
        if (l.rebooting) {
            // The new kernel comes up.
            l.rebooting = false;
            if (n.agent == Agent.NEVER_BACK) {
                l.rebooting = true;
                return;
            }
            n.bootID = "boot-" + name + "-" + (++bootCounter);
            n.release = n.agent == Agent.WRONG_KERNEL ? "5.10.0-bad" : TARGET;
            n.ready = true;
            n.readySince = now;
            n.rv++;
            l.phase = n.agent == Agent.FAIL_REBOOT ? NodePhase.Failed : NodePhase.Updated;
            l.reason = n.agent == Agent.FAIL_REBOOT ? "SessionsLost" : null;
            return;
        }
        if (l.step == null) {
            if (l.statusPlan != null) {
                l.lastUpdatePlan = l.statusPlan;
                l.lastUpdateResult = l.phase == NodePhase.Finished ? UpdateResult.Finished
                        : l.phase == NodePhase.Failed ? UpdateResult.Failed : UpdateResult.Cancelled;
                l.statusPlan = null;
                l.phase = NodePhase.Idle;
                l.reason = null;
                l.prepareRestarts = null;
            }
            l.observed = l.generation;
            return;
        }
        if (!l.planUid.equals(l.statusPlan)) {
            l.statusPlan = l.planUid;
            l.phase = NodePhase.Idle;
            l.prepareRestarts = null; // counted per plan
        }
        l.observed = l.generation;
        if (n.agent == Agent.RESTART_BEFORE_KEXEC && l.phase == NodePhase.Prepared
                && (l.step == NodeStep.Prepared || l.step == NodeStep.Rebooted) && l.restartedFor.add(l.planUid)) {
            l.phase = NodePhase.Preparing; // the sessions died with the process; the workloads hand their files over again
            l.prepareRestarts = l.prepareRestarts == null ? 1 : l.prepareRestarts + 1;
            return;
        }
        switch (l.step) {
            case Prepared -> {
                if (l.phase == NodePhase.Idle || l.phase == NodePhase.Cancelled) {
                    l.phase = NodePhase.Preparing;
                } else if (l.phase == NodePhase.Preparing) {
                    if (n.agent == Agent.FAIL_PREPARE) {
                        l.phase = NodePhase.Failed;
                        l.reason = "ImageChecksumMismatch";
                    } else if (n.agent != Agent.HANG_PREPARE) {
                        l.phase = NodePhase.Prepared;
                    }
                }
            }
            case Rebooted -> {
                if (l.phase == NodePhase.Preparing) {
                    l.phase = NodePhase.Prepared; // prepared again after a restart; reboots on its next step
                } else if (l.phase == NodePhase.Prepared && n.agent == Agent.FREEZE_TIMEOUT) {
                    l.phase = NodePhase.Failed;
                    l.reason = "FreezeTimeout";
                } else if (l.phase == NodePhase.Prepared) {
                    // Invariant 1 from the agent's side: it reboots only from Prepared, once per instruction.
                    int c = rebootsDone.merge(l.planUid + "/" + name, 1, Integer::sum);
                    if (c > 1) {
                        violations.add("invariant 6: " + name + " rebooted " + c + " times for " + l.planName);
                    }
                    l.phase = NodePhase.Rebooting;
                    l.rebooting = true;
                    n.ready = false;
                    n.rv++;
                }
            }
            case Finished -> {
                if (l.phase == NodePhase.Updated) {
                    l.phase = n.agent == Agent.FAIL_FINISH ? NodePhase.Failed : NodePhase.Finished;
                }
            }
            case Cancelled -> {
                if (l.phase != NodePhase.Rebooting && l.phase != NodePhase.Updated && l.phase != NodePhase.Finished) {
                    l.phase = NodePhase.Cancelled;
                }
            }
        }
    }

    /** The agent reports what is asked as staged (or failed), as its staging thread would, in one step. */
    static void stageStep(SimLun l) {
        if (l.stage.isEmpty()) {
            return;
        }
        List<dev.liveupdate.api.v1alpha1.StagedArtifact> now = l.stage.stream().map(r -> new dev.liveupdate.api.v1alpha1.StagedArtifact(
                r.getSha256(), l.stagingFails == null ? dev.liveupdate.api.v1alpha1.StagingState.Staged : dev.liveupdate.api.v1alpha1.StagingState.Failed,
                1000L, l.stagingFails, l.stagingFails == null ? "staged" : "it failed")).toList();
        if (!now.equals(l.staging)) {
            l.staging = now;
            l.rv++;
        }
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    boolean anyCordonedBy(String uid) {
        return nodes.values().stream().anyMatch(n -> uid.equals(n.cordonedBy) || uid.equals(n.truth));
    }

    boolean anyHeldBy(String uid) {
        return luns.values().stream().anyMatch(l -> uid.equals(l.planUid));
    }
}
