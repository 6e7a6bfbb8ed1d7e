package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.CordonPolicy;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random fleets, random agent faults, random operator crashes (only a prefix of a pass's writes lands, or the status
 * write is lost; the next pass starts from the persisted objects only), random spec changes and a second plan over
 * an overlapping set of nodes. The World checks invariants 2, 4, 5 and 6 on every write.
 *
 * <p>Each run draws new cases from a master seed (printed in every case's name); to replay a failure, run with
 * {@code -Dinvariants.seed=<master seed>}: the same cases come out in the same order.
 */
class RolloutInvariantsTest {
    static boolean DEBUG;
    static final long MASTER_SEED = Long.getLong("invariants.seed", new Random().nextLong());

    /** One drawn fleet for the fault property. */
    record FaultCase(long seed, int fleet, int maxUnavailable, int canary, boolean barrier, boolean twoPlans,
            boolean cordonNever, int maxFailures) {}

    /** One drawn fleet for the liveness property. */
    record HealthyCase(long seed, int fleet, int maxUnavailable, int canary, boolean barrier) {}

    static Stream<FaultCase> faultCases() {
        Random r = new Random(MASTER_SEED);
        return Stream.generate(() -> new FaultCase(r.nextLong() & Long.MAX_VALUE, 1 + r.nextInt(14), 1 + r.nextInt(4),
                r.nextInt(4), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextInt(4))).limit(150);
    }

    static Stream<HealthyCase> healthyCases() {
        Random r = new Random(MASTER_SEED ^ 0x5DEECE66DL);
        return Stream.generate(() -> new HealthyCase(r.nextLong() & Long.MAX_VALUE, 1 + r.nextInt(20), 1 + r.nextInt(5),
                r.nextInt(4), r.nextBoolean())).limit(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faultCases")
    void invariantsHoldUnderFaultsAndRestarts(FaultCase drawn) {
        long seed = drawn.seed();
        int fleet = drawn.fleet();
        int maxUnavailable = drawn.maxUnavailable();
        int canary = drawn.canary();
        boolean barrier = drawn.barrier();
        boolean twoPlans = drawn.twoPlans();
        boolean cordonNever = drawn.cordonNever();
        int maxFailures = drawn.maxFailures();
        Random rnd = new Random(seed);
        World w = new World().nodes(fleet);
        for (World.SimNode n : w.nodes.values()) {
            n.labels.put("pool", rnd.nextBoolean() ? "a" : "b");
            n.agent = rnd.nextDouble() < 0.25 ? World.Agent.values()[rnd.nextInt(World.Agent.values().length)]
                    : World.Agent.OK;
            n.capable = rnd.nextDouble() > 0.1;
        }
        List<World.SimPlan> plans = new ArrayList<>();
        World.SimPlan p1 = w.plan("one", spec(rnd, maxUnavailable, canary, barrier, cordonNever, maxFailures));
        plans.add(p1);
        if (twoPlans) {
            World.SimPlan p2 = w.plan("two", spec(rnd, 1 + rnd.nextInt(3), rnd.nextInt(2), !barrier, false, 1));
            p2.selector = l -> "a".equals(l.get("pool"));
            plans.add(p2);
        }
        for (int step = 0; step < 160; step++) {
            for (World.SimPlan p : plans) {
                if (p.gone) {
                    continue;
                }
                boolean crash = rnd.nextDouble() < 0.15;
                int before = w.violations.size();
                Decision d = w.reconcile(p, crash ? rnd.nextInt(4) : -1, rnd.nextDouble() < 0.1);
                if (DEBUG && w.violations.size() > before) {
                    System.out.println("DBG " + p.name + " actions " + d.actions());
                    w.nodes.values().forEach(x -> System.out.println("DBG  node " + x.name + " ready=" + x.ready
                            + " unsched=" + x.unschedulable + " by=" + x.cordonedBy + " truth=" + x.truth + " pool="
                            + x.labels + " lun=" + (w.luns.get(x.name) == null ? null : w.luns.get(x.name).planName
                            + "/" + w.luns.get(x.name).step + "/" + w.luns.get(x.name).phase)));
                }
            }
            w.agents(rnd, 0.6);
            chaos(w, rnd, plans);
            w.advance(Duration.ofSeconds(rnd.nextDouble() < 0.05 ? 20 * 60 : 1 + rnd.nextInt(30)));
            assertThat(w.violations).as("master seed " + MASTER_SEED + ", " + drawn + ", step " + step).isEmpty();
        }
        // Deleting every plan must leave no instruction and no cordon behind, even with broken agents.
        plans.forEach(p -> p.deleting = true);
        for (int step = 0; step < 200 && plans.stream().anyMatch(p -> !p.gone); step++) {
            for (World.SimPlan p : plans) {
                if (!p.gone) {
                    w.reconcile(p, rnd.nextDouble() < 0.1 ? rnd.nextInt(3) : -1, false);
                }
            }
            w.agents(rnd, 0.8);
            w.advance(Duration.ofMinutes(1));
        }
        assertThat(plans).as("master seed " + MASTER_SEED + ", " + drawn).allMatch(p -> p.gone);
        for (World.SimPlan p : plans) {
            assertThat(w.anyHeldBy(p.uid)).as("master seed " + MASTER_SEED + ", " + drawn).isFalse();
            assertThat(w.anyCordonedBy(p.uid)).as("master seed " + MASTER_SEED + ", " + drawn).isFalse();
        }
        assertThat(w.violations).as("master seed " + MASTER_SEED + ", " + drawn).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("healthyCases")
    void aHealthyFleetAlwaysSucceedsDespiteOperatorAndAgentRestarts(HealthyCase drawn) {
        long seed = drawn.seed();
        int fleet = drawn.fleet();
        int maxUnavailable = drawn.maxUnavailable();
        int canary = drawn.canary();
        boolean barrier = drawn.barrier();
        Random rnd = new Random(seed);
        World w = new World().nodes(fleet);
        World.SimPlan p = w.plan("p", World.spec(maxUnavailable, canary));
        p.spec.getStrategy().setBarrier(barrier);
        // An agent restart before the kexec costs a preparation, not the rollout (PreparationStartedOver).
        w.nodes.values().forEach(n -> n.agent = rnd.nextDouble() < 0.3 ? World.Agent.RESTART_BEFORE_KEXEC : World.Agent.OK);
        for (int step = 0; step < 600 && !(p.status != null && p.status.getPhase() == PlanPhase.Succeeded
                && !w.anyHeldBy(p.uid)); step++) {
            w.reconcile(p, rnd.nextDouble() < 0.2 ? rnd.nextInt(3) : -1, rnd.nextDouble() < 0.2);
            w.agents(rnd, 0.7);
            w.advance(Duration.ofSeconds(5));
        }
        assertThat(p.status.getPhase()).as("master seed " + MASTER_SEED + ", " + drawn + ": " + p.status.getMessage())
                .isEqualTo(PlanPhase.Succeeded);
        assertThat(w.rebootsAsked.values()).allMatch(c -> c == 1);
        assertThat(w.rebootsAsked).hasSize(fleet);
        w.nodes.values().stream().filter(n -> n.agent == World.Agent.RESTART_BEFORE_KEXEC)
                .forEach(n -> assertThat(w.luns.get(n.name).restartedFor).as(n.name + " restarted before its kexec").contains(p.uid));
        assertThat(w.anyCordonedBy(p.uid)).isFalse();
        assertThat(w.violations).isEmpty();
    }

    private static LiveUpdateSpec spec(Random rnd, int maxUnavailable, int canary, boolean barrier,
            boolean cordonNever, int maxFailures) {
        LiveUpdateSpec s = World.spec(maxUnavailable, canary);
        if (rnd.nextBoolean()) {
            s.getStrategy().setMaxUnavailable(new IntOrString((10 + rnd.nextInt(60)) + "%"));
        }
        s.getStrategy().setBarrier(barrier);
        s.getStrategy().setMaxFailures(maxFailures);
        s.getStrategy().setSoakTime(rnd.nextBoolean() ? "0s" : "30s");
        s.setCordon(cordonNever ? CordonPolicy.Never : CordonPolicy.Always);
        s.setTargetPhase(TargetPhase.values()[rnd.nextInt(3)]);
        return s;
    }

    /** The world moves on its own: nodes flap, people cordon, specs change, nodes appear and disappear. */
    private static void chaos(World w, Random rnd, List<World.SimPlan> plans) {
        List<World.SimNode> nodes = new ArrayList<>(w.nodes.values());
        if (nodes.isEmpty()) {
            return;
        }
        World.SimNode n = nodes.get(rnd.nextInt(nodes.size()));
        World.SimLun l = w.luns.get(n.name);
        boolean ours = n.cordonedBy != null || l != null && l.step == NodeStep.Rebooted;
        double r = rnd.nextDouble();
        if (r < 0.04 && !ours && !l.rebooting) {
            n.ready = !n.ready;
            n.rv++;
        } else if (r < 0.07 && n.cordonedBy == null) {
            // A person cordons or uncordons a node the operator has not marked.
            n.unschedulable = !n.unschedulable;
            n.truth = n.unschedulable ? "someone" : null;
            n.rv++;
        } else if (r < 0.08) {
            n.labels.put("pool", "a".equals(n.labels.get("pool")) ? "b" : "a");
            n.rv++;
        } else if (r < 0.085) {
            w.nodes.remove(n.name); // garbage collection takes the LiveUpdateNode a little later
        } else if (r < 0.09) {
            w.luns.remove(n.name);
            w.nodes.remove(n.name);
        }
        for (String name : new ArrayList<>(w.luns.keySet())) {
            if (!w.nodes.containsKey(name) && rnd.nextDouble() < 0.3) {
                w.luns.remove(name);
            }
        }
        World.SimPlan p = plans.get(rnd.nextInt(plans.size()));
        double s = rnd.nextDouble();
        if (s < 0.02) {
            p.spec.setPaused(!Boolean.TRUE.equals(p.spec.getPaused()));
            p.generation++;
        } else if (s < 0.025) {
            p.spec.setCancel(true);
            p.generation++;
        } else if (s < 0.035 && p.spec.getTargetPhase() != TargetPhase.Finished) {
            p.spec.setTargetPhase(p.spec.getTargetPhase() == TargetPhase.Prepared ? TargetPhase.Updated
                    : TargetPhase.Finished);
            p.generation++;
        } else if (s < 0.04) {
            p.spec.getStrategy().setMaxFailures(p.spec.getStrategy().getMaxFailures() + 1);
            p.generation++;
        }
    }
}
