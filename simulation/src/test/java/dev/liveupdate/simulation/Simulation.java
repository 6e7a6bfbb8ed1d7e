package dev.liveupdate.simulation;

import dev.liveupdate.api.v1alpha1.CordonPolicy;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.HealthGates;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.PodHealthGate;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.SessionSpec;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.operator.k8s.Annotations;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One run of a {@link Schedule}: a small fleet (2-4 nodes, one kernel generation), a plan, the operator, one agent
 * and one workload per node, driven one step at a time by a seeded scheduler on a virtual clock. Returns the first
 * violation, or null.
 */
final class Simulation {
    static final String RELEASE_ONE = "7.3.0-next";
    static final String RELEASE_TWO = "7.4.0-next";
    /** Steps the run may take after the faults stop before a plan that is not done is a liveness violation. */
    static final int SETTLE_STEPS = 6000;
    /** The longest the operator's informers lag behind the server, in virtual time. */
    static final Duration MAX_WATCH_LAG = Duration.ofSeconds(20);
    private static final Set<PlanPhase> DONE = EnumSet.of(PlanPhase.Succeeded, PlanPhase.Cancelled, PlanPhase.Failed, PlanPhase.Halted);

    /** How a run ended. */
    record Result(String violation, int steps, String summary) {
    }

    private final Schedule schedule;
    private final Path root;
    private final VirtualClock clock = new VirtualClock();
    private final ApiServer api = new ApiServer(clock);
    private final Map<String, SimHost> hosts = new LinkedHashMap<>();
    private final Invariants checks;
    private final Random rnd;
    private final Random gateRnd;
    private final Path bootDir;
    private SimOperator operator;
    private String violation;

    Simulation(Schedule schedule, Path root) {
        this.schedule = schedule;
        this.root = root;
        this.rnd = new Random(schedule.seed());
        // Health gates draw from their own stream, so every schedule recorded before them replays as it did.
        this.gateRnd = new Random(schedule.seed() * 31 + 7);
        this.checks = new Invariants(api, hosts);
        this.bootDir = root.resolve("boot");
        api.observe(checks);
    }

    Result run() throws IOException {
        Files.createDirectories(bootDir);
        Path one = SimulatedKernel.writeImage(bootDir.resolve("vmlinuz-" + RELEASE_ONE), RELEASE_ONE);
        SimulatedKernel.writeImage(bootDir.resolve("vmlinuz-" + RELEASE_TWO), RELEASE_TWO);
        Generation g = rnd.nextBoolean() ? Generation.A : Generation.B;
        int fleet = 2 + rnd.nextInt(3);
        for (int i = 0; i < fleet; i++) {
            SimHost h = new SimHost("node-" + i, g, root, bootDir, rnd.nextBoolean() ? "a" : "b", rnd);
            hosts.put(h.name, h);
            h.report(api, true);
        }
        operator = new SimOperator(api, clock);
        checks.operatorView = uid -> operator.cachedPlan(uid);
        checks.operatorNodes = name -> operator.cachedNode(name);
        operator.health = node -> hosts.containsKey(node) && hosts.get(node).vmPodUnready
                ? List.of("gate vms: pod sim/vm-" + node + " is not Ready") : List.of();
        api.createPlan("one", planOne(one));
        int step = 0;
        int settledAt = -1;
        for (; ; step++) {
            boolean calm = step >= schedule.faultSteps();
            if (step == schedule.faultSteps()) {
                settle();
            }
            if (!calm) {
                flipVmPods();
                for (Schedule.Fault f : schedule.faults()) {
                    if (f.step() == step) {
                        inject(f);
                    }
                }
            }
            act(calm);
            if (calm) {
                personReleasesFailedNodes();
            }
            checks.afterStep();
            for (SimHost h : hosts.values()) {
                if (h.agent != null && h.agent.unexpected != null && violation == null) {
                    violation = "the agent's engine threw on " + h.name + ": " + h.agent.unexpected;
                }
            }
            String v = violation != null ? violation : checks.violation;
            if (v != null) {
                return new Result(v, step, summary());
            }
            if (calm && done()) {
                settledAt = step;
                break;
            }
            if (calm && step - schedule.faultSteps() > SETTLE_STEPS) {
                String stuck = "liveness: not settled " + SETTLE_STEPS + " steps (" + Duration.between(start(), clock.instant())
                        + " virtual) after the faults stopped";
                return new Result(stuck, step, summary());
            }
        }
        checks.atEnd();
        return new Result(checks.violation, settledAt, summary());
    }

    private static java.time.Instant start() {
        return new VirtualClock().instant();
    }

    private LiveUpdateSpec planOne(Path image) {
        LiveUpdateSpec s = new LiveUpdateSpec();
        s.setNodeSelector(new LabelSelector());
        s.setKernel(kernel(RELEASE_ONE, image));
        s.setSessions(List.of(session()));
        double t = rnd.nextDouble();
        s.setTargetPhase(t < 0.7 ? TargetPhase.Finished : t < 0.85 ? TargetPhase.Updated : TargetPhase.Prepared);
        RolloutStrategy st = new RolloutStrategy();
        st.setMaxUnavailable(new IntOrString(1 + rnd.nextInt(2)));
        st.setCanaryNodes(rnd.nextInt(2));
        st.setBarrier(rnd.nextBoolean());
        st.setMaxFailures(rnd.nextInt(3));
        s.setStrategy(st);
        if (rnd.nextInt(4) == 0) {
            s.setCordon(CordonPolicy.Never);
        }
        if (gateRnd.nextInt(3) == 0) {
            s.setHealthGates(healthGates());
        }
        return s;
    }

    /** A pod gate on the VM pods, with a timeout short enough that some schedules see it fail. */
    private HealthGates healthGates() {
        PodHealthGate vms = new PodHealthGate();
        vms.setName("vms");
        vms.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("kubevirt.io", "virt-launcher").build());
        HealthGates g = new HealthGates();
        g.setPods(List.of(vms));
        g.setTimeout((1 + gateRnd.nextInt(5)) + "m");
        return g;
    }

    /** While faults run, a VM pod now and then stops or starts being Ready (the gate's look-up sees it at once). */
    private void flipVmPods() {
        for (SimHost h : hosts.values()) {
            if (gateRnd.nextInt(20) == 0) {
                h.vmPodUnready = !h.vmPodUnready;
            }
        }
    }

    private static KernelSpec kernel(String release, Path image) {
        KernelSpec k = new KernelSpec();
        k.setRelease(release);
        k.setImage(image.toString());
        try {
            k.setSha256(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image))));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return k;
    }

    private static SessionSpec session() {
        SessionSpec vm = new SessionSpec();
        vm.setName(SimWorkload.SESSION);
        vm.setRequired(true);
        vm.setMinFiles(1);
        return vm;
    }

    // ---------------------------------------------------------------- the scheduler

    private record Action(int weight, Runnable run) {
    }

    private void act(boolean calm) {
        List<Action> enabled = new ArrayList<>();
        if (operator.hasEvents()) {
            enabled.add(new Action(4, () -> operator.deliver(rnd)));
        }
        List<String> plans = operator.cachedPlans();
        if (!plans.isEmpty()) {
            enabled.add(new Action(3, () -> reconcile(plans.get(rnd.nextInt(plans.size())))));
        }
        for (SimHost h : hosts.values()) {
            SimAgent a = h.agent;
            if (a == null) {
                if (!h.rebooting && !h.nodeDeleted) {
                    enabled.add(new Action(2, () -> startAgent(h)));
                }
            } else {
                if (a.hasEvents()) {
                    enabled.add(new Action(3, () -> agentDo(h, () -> a.deliver(rnd))));
                }
                if (a.hasPendingStatus()) {
                    enabled.add(new Action(3, () -> agentDo(h, a::flush)));
                }
                enabled.add(new Action(1, () -> agentDo(h, a::tick)));
                if (!h.nodeDeleted && (api.lunView(h.name) == null || a.recreating())) {
                    enabled.add(new Action(1, () -> agentDo(h, a::ensureObject)));
                }
                if (h.workload.awaitingRestore()) {
                    enabled.add(new Action(2, () -> agentDo(h, () -> {
                        String v = h.workload.retrieve(a, a.sim);
                        if (v != null && violation == null) {
                            violation = h.name + ": " + v;
                        }
                    })));
                } else if (h.workload.accepted.size() < h.workload.fds.size()) {
                    enabled.add(new Action(2, () -> agentDo(h, () -> h.workload.register(a, a.sim))));
                }
            }
            if (h.rebooting) {
                enabled.add(new Action(2, () -> {
                    h.rebooting = false;
                    h.report(api, true);
                }));
            }
            if (h.nodeDeleted) {
                enabled.add(new Action(1, () -> {
                    h.nodeDeleted = false;
                    h.report(api, !h.rebooting);
                }));
            }
        }
        enabled.add(new Action(2, () -> {
            // Informer lag stays within what ReadYourWrites assumes (far below its MAX_AGE of 60 s): time does not
            // move on while the operator has an event older than MAX_WATCH_LAG undelivered.
            java.time.Instant oldest = operator.oldestEvent();
            while (oldest != null && oldest.isBefore(clock.instant().minus(MAX_WATCH_LAG))) {
                operator.deliver(rnd);
                oldest = operator.oldestEvent();
            }
            // A live agent acts within seconds too: its timeouts (prepare, reboot, finish) are for agents that are stuck or
            // gone, which the faults stand for; an agent merely not scheduled for minutes of virtual time is neither.
            if (agentsLagging()) {
                return;
            }
            clock.advance(Duration.ofSeconds(1 + rnd.nextInt(calm ? 60 : 20)));
        }));
        int total = enabled.stream().mapToInt(Action::weight).sum();
        int pick = rnd.nextInt(total);
        for (Action a : enabled) {
            pick -= a.weight();
            if (pick < 0) {
                a.run().run();
                return;
            }
        }
    }

    private boolean agentsLagging() {
        java.time.Instant limit = clock.instant().minus(MAX_WATCH_LAG);
        for (SimHost h : hosts.values()) {
            java.time.Instant oldest = h.agent == null || h.nodeDeleted ? null : h.agent.oldestWork();
            if (oldest != null && oldest.isBefore(limit)) {
                return true;
            }
        }
        return false;
    }

    private void reconcile(String plan) {
        try {
            operator.reconcile(plan);
        } catch (SimOperator.Died d) {
            restartOperator();
        } catch (RuntimeException e) {
            if (!SimOperator.retriable(e) && violation == null) {
                violation = "the operator's reconcile threw: " + e;
            }
        }
    }

    private void restartOperator() {
        operator.stop();
        operator = new SimOperator(api, clock);
    }

    private void startAgent(SimHost h) {
        SimAgent a = new SimAgent(h, api, clock, checks);
        h.agent = a;
        boolean started;
        try {
            started = a.start();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            started = false;
        }
        if (Boolean.getBoolean("sim.debug")) {
            System.err.printf("start %s: started=%s dead=%s kexeced=%s%n", h.name, started, a.dead, a.kexeced);
        }
        if (!started) {
            a.stop();
            h.agent = null;
            return;
        }
        afterAgentCall(h);
    }

    private void agentDo(SimHost h, Runnable r) {
        r.run();
        afterAgentCall(h);
    }

    /** A kexec or a death inside the last engine call ends the process. */
    private void afterAgentCall(SimHost h) {
        SimAgent a = h.agent;
        if (a == null) {
            return;
        }
        if (a.kexeced) {
            a.stop();
            h.agent = null;
            h.everKexeced = true;
            h.agentDeathsSinceKexec = 0;
            h.workload.kexecd();
            h.rebooted();
            h.rebooting = true;
            notReady(h.name);
        } else if (a.dead) {
            if (Boolean.getBoolean("sim.debug")) {
                System.err.printf("agent on %s died%n", h.name);
            }
            killAgent(h);
        }
    }

    private void killAgent(SimHost h) {
        if (h.agent != null) {
            h.agent.stop();
            h.agent = null;
            h.workload.agentDied();
            h.agentDeathsSinceKexec++;
        }
    }

    /** The node controller marks the rebooting node NotReady (boot ID unchanged until the kubelet reports). */
    private void notReady(String name) {
        api.node(name).ifPresent(n -> {
            n.getStatus().getConditions().forEach(c -> c.setStatus("False"));
            api.putNode(ApiServer.Who.KUBELET, n);
        });
    }

    // ---------------------------------------------------------------- faults

    private SimHost host(int target) {
        return new ArrayList<>(hosts.values()).get(target % hosts.size());
    }

    private String planName(int target) {
        List<LiveUpdate> plans = api.plans();
        return plans.isEmpty() ? "one" : plans.get(target % plans.size()).getMetadata().getName();
    }

    private void inject(Schedule.Fault f) {
        SimHost h = host(f.target());
        switch (f.kind()) {
            case AGENT_CRASH -> killAgent(h);
            case AGENT_DIES_AFTER_KERNEL_CALL -> {
                if (h.agent != null) {
                    h.agent.callsBeforeDeath = 1 + f.param() % 4;
                }
            }
            case OPERATOR_CRASH -> restartOperator();
            case OPERATOR_DIES_MID_PASS -> operator.writesBeforeDeath = f.param() % 3;
            case OPERATOR_WRITE_FAULT -> api.armFault("operator", ApiServer.WriteFault.values()[f.param() % 3]);
            case AGENT_WRITE_FAULT -> api.armFault("agent/" + h.name, ApiServer.WriteFault.values()[f.param() % 3]);
            case PAUSE_TOGGLE -> api.editPlan(planName(f.target()), s -> s.setPaused(!Boolean.TRUE.equals(s.getPaused())));
            case CANCEL -> api.editPlan(planName(f.target()), s -> s.setCancel(true));
            case EDIT_MAX_UNAVAILABLE -> api.editPlan(planName(f.target()), s -> s.getStrategy().setMaxUnavailable(new IntOrString(1 + f.param() % 3)));
            case RAISE_TARGET -> api.editPlan(planName(f.target()), s -> s.setTargetPhase(s.getTargetPhase() == TargetPhase.Prepared
                    ? TargetPhase.Updated : TargetPhase.Finished));
            case DELETE_PLAN -> api.deletePlan(planName(f.target()));
            case NODE_DELETED_AND_READDED -> {
                api.deleteNode(h.name);
                h.nodeDeleted = true;
            }
            case LEDGER_REMOVED_BY_HAND -> api.editLun(h.name, l -> {
                if (l.getMetadata().getAnnotations() != null) {
                    l.getMetadata().getAnnotations().remove(Annotations.LEDGER);
                }
            });
            case CORDONED_BY_PERSON -> api.node(h.name).ifPresent(n -> {
                if (!Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
                    n.getSpec().setUnschedulable(true);
                    api.putNode(ApiServer.Who.ADMIN, n);
                    checks.cordonedByPerson.add(h.name);
                }
            });
            case SECOND_PLAN -> {
                if (api.plan("two").isEmpty()) {
                    LiveUpdateSpec s = planOne(bootDir.resolve("vmlinuz-" + RELEASE_TWO));
                    s.setKernel(kernel(RELEASE_TWO, bootDir.resolve("vmlinuz-" + RELEASE_TWO)));
                    s.setNodeSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().addToMatchLabels("pool", "a").build());
                    api.createPlan("two", s);
                }
            }
            case CLOCK_JUMP -> clock.jump(Duration.ofMinutes(10 + f.param() * 15L));
        }
    }

    /**
     * A person does what a plan stalled on failed nodes asks (FailedNodesHoldBudget): looks at each failed node left
     * cordoned and uncordons it; the plan's cordon mark stays on the Node, as after {@code kubectl uncordon}.
     */
    private void personReleasesFailedNodes() {
        boolean asked = api.plans().stream().map(LiveUpdate::getStatus).anyMatch(st -> st != null && st.getConditions() != null
                && st.getConditions().stream().anyMatch(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus())
                        && "FailedNodesHoldBudget".equals(c.getReason())));
        if (!asked) {
            return;
        }
        // The message names nodes failed in this plan or in another that holds them: every plan's failed nodes are looked at.
        for (LiveUpdate p : api.plans()) {
            if (p.getStatus() == null || p.getStatus().getFailedNodes() == null) {
                continue;
            }
            for (var failed : p.getStatus().getFailedNodes()) {
                api.node(failed.getNode()).filter(n -> Boolean.TRUE.equals(n.getSpec().getUnschedulable())).ifPresent(n -> {
                    n.getSpec().setUnschedulable(false);
                    api.putNode(ApiServer.Who.ADMIN, n);
                });
            }
        }
    }

    /** The faults stop: nothing armed fires, plans are unpaused, a person uncordons what they cordoned. */
    private void settle() {
        api.clearFaults();
        hosts.values().forEach(h -> h.vmPodUnready = false);
        operator.writesBeforeDeath = -1;
        hosts.values().forEach(h -> {
            if (h.agent != null) {
                h.agent.callsBeforeDeath = -1;
            }
        });
        api.plans().stream().filter(p -> Boolean.TRUE.equals(p.getSpec().getPaused()))
                .forEach(p -> api.editPlan(p.getMetadata().getName(), s -> s.setPaused(false)));
        for (String name : List.copyOf(checks.cordonedByPerson)) {
            checks.cordonedByPerson.remove(name);
            api.node(name).ifPresent(n -> {
                if (n.getMetadata().getAnnotations() == null || n.getMetadata().getAnnotations().get(Annotations.CORDONED_BY) == null) {
                    n.getSpec().setUnschedulable(false);
                    api.putNode(ApiServer.Who.ADMIN, n);
                }
            });
        }
    }

    /** Every plan gone or done for its current generation, and no node between a kexec and its kubelet report. */
    private boolean done() {
        for (LiveUpdate p : api.plansView()) {
            var s = p.getStatus();
            boolean settled = s != null && DONE.contains(s.getPhase()) && p.getMetadata().getGeneration().equals(s.getObservedGeneration())
                    && p.getMetadata().getDeletionTimestamp() == null;
            if (!settled && !blockedByDonePlans(p)) {
                return false;
            }
        }
        for (Node n : api.nodesView()) {
            String by = n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(Annotations.CORDONED_BY);
            var l = api.lunView(n.getMetadata().getName());
            var in = l == null ? null : l.getSpec().getInstruction();
            if (by != null && (in == null || !by.equals(in.getPlan().getUid()))) {
                return false; // a cordon mark of a plan that does not hold the node: it must be taken back
            }
        }
        // A file answered LOST is not awaited any more, but the run is not settled before the agent recorded the loss.
        return hosts.values().stream().noneMatch(h -> h.rebooting || h.nodeDeleted || h.workload.awaitingRestore()
                || !h.workload.lost.isEmpty() && !checks.lossRecorded(h));
    }

    /** A node the plan holds that has nothing left to do for it: at the plan's staged target, or failed (held for a person). */
    private static boolean settledAtTarget(LiveUpdate p, dev.liveupdate.api.v1alpha1.LiveUpdateNode l) {
        var phase = l.getStatus() == null ? null : l.getStatus().getPhase();
        TargetPhase target = p.getSpec().getTargetPhase() == null ? TargetPhase.Finished : p.getSpec().getTargetPhase();
        return phase == dev.liveupdate.api.v1alpha1.NodePhase.Failed || failureRecorded(p, l)
                || target != TargetPhase.Finished && phase != null && phase.name().equals(target.name());
    }

    /** The plan's ledger records the node failed (a prepare timeout cancels the agent, which then reports Cancelled). */
    private static boolean failureRecorded(LiveUpdate p, dev.liveupdate.api.v1alpha1.LiveUpdateNode l) {
        String json = l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(Annotations.LEDGER);
        var ledger = dev.liveupdate.operator.k8s.LedgerCodec.decodeLedger(json);
        return ledger != null && p.getMetadata().getUid().equals(ledger.planUid()) && ledger.failure() != null;
    }

    /**
     * A plan can wait for ever, by design, for nodes another plan holds (two plans never act on one node) until a person
     * raises, cancels or deletes one of them: settled when every node it holds is at its staged target or failed, and
     * every other node it selects is done for it or held by another plan. Its status says so (HeldByOtherPlan).
     */
    private boolean blockedByDonePlans(LiveUpdate p) {
        String uid = p.getMetadata().getUid();
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        for (Node n : api.nodesView()) {
            var l = api.lunView(n.getMetadata().getName());
            var in = l == null ? null : l.getSpec().getInstruction();
            if (in != null && in.getPlan().getUid().equals(uid)) {
                if (!settledAtTarget(p, l)) {
                    return false;
                }
                continue;
            }
            if (!dev.liveupdate.api.SelectorMatcher.matches(p.getSpec().getNodeSelector(), n.getMetadata().getLabels())) {
                continue;
            }
            boolean outcome = l != null && l.getMetadata().getAnnotations() != null
                    && l.getMetadata().getAnnotations().containsKey(Annotations.OUTCOME_PREFIX + uid);
            if (!outcome && in == null && !skippedForGood(p, n) && !restoreOfAStagedPlan(l)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A node whose agent reports a restore for a plan staged at Updated while no instruction holds it (its object was
     * created again with its Node): that plan counts it at its target and tells it Finished once raised or deleted
     * (OrphanedRestore), so it is held at a staged target as far as the other plans are concerned.
     */
    private boolean restoreOfAStagedPlan(dev.liveupdate.api.v1alpha1.LiveUpdateNode l) {
        var st = l == null ? null : l.getStatus();
        if (st == null || st.getPlan() == null || st.getPhase() != dev.liveupdate.api.v1alpha1.NodePhase.Updated
                && st.getPhase() != dev.liveupdate.api.v1alpha1.NodePhase.Restoring) {
            return false;
        }
        return api.plansView().stream().anyMatch(q -> q.getMetadata().getUid().equals(st.getPlan().getUid())
                && q.getMetadata().getDeletionTimestamp() == null
                && q.getSpec().getTargetPhase() != null && q.getSpec().getTargetPhase() != TargetPhase.Finished);
    }

    /**
     * A node the plan leaves alone for good and counts as done (skipped, as JoinPolicy decides): under nodeJoin Frozen
     * (the default) a Node created after the plan started, as when it was deleted and registered again (JoinedAfterStart);
     * a node that runs a newer kernel than the plan's, as after the second plan updated it (NewerKernel).
     */
    private static boolean skippedForGood(LiveUpdate p, Node n) {
        String started = p.getStatus() == null ? null : p.getStatus().getStartTime();
        String created = n.getMetadata().getCreationTimestamp();
        boolean joinedAfterStart = p.getSpec().getNodeJoin() != dev.liveupdate.api.v1alpha1.NodeJoinPolicy.Follow && started != null
                && created != null && java.time.Instant.parse(created).isAfter(java.time.Instant.parse(started));
        var strategy = p.getSpec().getStrategy();
        boolean downgradeAllowed = strategy != null && Boolean.TRUE.equals(strategy.getAllowDowngrade());
        String running = n.getStatus() == null || n.getStatus().getNodeInfo() == null ? null : n.getStatus().getNodeInfo().getKernelVersion();
        boolean newerKernel = !downgradeAllowed && running != null
                && dev.liveupdate.operator.planning.KernelReleaseOrder.newer(running, p.getSpec().getKernel().getRelease());
        return joinedAfterStart || newerKernel;
    }

    /** The failure the holding plan recorded in its ledger (what the plan counts, whatever the agent reports). */
    private static String recordedFailure(dev.liveupdate.api.v1alpha1.LiveUpdateNode l) {
        String json = l == null || l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(Annotations.LEDGER);
        var ledger = dev.liveupdate.operator.k8s.LedgerCodec.decodeLedger(json);
        return ledger == null || ledger.failure() == null ? ""
                : ", plan recorded failure " + ledger.failure().reason() + " (" + ledger.failure().message() + ")";
    }

    String summary() {
        StringBuilder b = new StringBuilder();
        b.append("t=").append(clock.instant());
        for (LiveUpdate p : api.plans()) {
            var s = p.getStatus();
            b.append("\n  plan ").append(p.getMetadata().getName()).append(" gen ").append(p.getMetadata().getGeneration())
                    .append(p.getMetadata().getDeletionTimestamp() != null ? " (deleting)" : "")
                    .append(": ").append(s == null ? "no status" : s.getPhase() + " - " + s.getMessage());
        }
        for (SimHost h : hosts.values()) {
            var l = api.lun(h.name).orElse(null);
            Node n = api.node(h.name).orElse(null);
            b.append("\n  ").append(h.name).append(" [").append(h.generation).append("] agent ").append(h.agent == null ? "down" : "up")
                    .append(n == null ? ", Node deleted" : ", " + (Invariants.ready(n) ? "Ready" : "NotReady")
                            + (Boolean.TRUE.equals(n.getSpec().getUnschedulable()) ? " cordoned" : ""))
                    .append(", instruction ").append(l == null || l.getSpec().getInstruction() == null ? "none"
                            : l.getSpec().getInstruction().getPlan().getName() + "/" + l.getSpec().getInstruction().getStep())
                    .append(", status ").append(l == null || l.getStatus() == null ? "none"
                            : l.getStatus().getPhase() + " " + l.getStatus().getReason() + " - " + l.getStatus().getMessage())
                    .append(recordedFailure(l))
                    .append(", workload handed over ").append(h.workload.handedOver).append(" got back ").append(h.workload.retrieved)
                    .append(h.rebooting ? ", kexec'd, kubelet not back yet" : "")
                    .append(n != null && !h.host().bootId().equals(n.getStatus().getNodeInfo().getBootID()) ? ", Node shows an older boot" : "");
        }
        return b.toString();
    }
}
