package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.Blocker;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planner's rules about when a node may be disrupted or taken at all, against a real kube-apiserver with the
 * packaged operator as a separate process and {@link SimulatedAgents} playing the agents (set-up as in
 * {@link OperatorIT}): a blocker pod that appears after the node was prepared still holds back its reboot
 * (RebootAdmission), a node that joins after the plan succeeded is left alone under nodeJoin Frozen and taken under
 * Follow (JoinPolicy), and a node running a newer kernel than the plan's is never moved back (KernelReleaseOrder)
 * unless strategy.allowDowngrade.
 */
class JoinAndDisruptionIT {
    private static final Duration ROLLOUT = Duration.ofMinutes(3);
    /** How long a "this must not happen" observation lasts (the operator re-evaluates on every agent write). */
    private static final Duration HOLDS_FOR = Duration.ofSeconds(5);
    static TestCluster cluster;
    static KubernetesClient client;
    static SimulatedAgents agents;
    static ManagedProcess operator;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().withRepoCrds().start();
        client = cluster.client();
        agents = new SimulatedAgents(cluster);
        agents.addNode("late-0", Map.of("pool", "late"));
        for (int i = 0; i < 2; i++) {
            agents.addNode("frz-" + i, Map.of("pool", "frz"));
            agents.addNode("fol-" + i, Map.of("pool", "fol"));
        }
        agents.addNode("new-0", Map.of("pool", "new"));
        agents.addNode("new-1", Map.of("pool", "new"), "99.0.0");
        agents.addNode("new-2", Map.of("pool", "new"));
        agents.start();
        operator = OperatorIT.startOperator(cluster, Path.of("target/it/operator-join-and-disruption.log"));
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (agents != null) {
            agents.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static LiveUpdate get(String name) {
        return client.resources(LiveUpdate.class).withName(name).get();
    }

    /** Waits until the plan's status, written for its current generation, satisfies {@code check}. */
    static LiveUpdate awaitPlan(String name, String what, Predicate<LiveUpdate> check) {
        await(name + ": " + what).atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    LiveUpdate lu = get(name);
                    return lu.getStatus().getObservedGeneration().equals(lu.getMetadata().getGeneration())
                            && check.test(lu);
                });
        return get(name);
    }

    static LiveUpdate awaitPhase(String name, PlanPhase phase) {
        return awaitPlan(name, "phase " + phase, lu -> lu.getStatus().getPhase() == phase);
    }

    /** Edits the spec; the operator writes this plan's status meanwhile, so a lost race (409) is retried. */
    static void editSpec(String name, Consumer<LiveUpdate> change) {
        await(name + " edited").atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> client.resources(LiveUpdate.class).withName(name).edit(p -> {
                    change.accept(p);
                    return p;
                }) != null);
    }

    static NodeInstruction instruction(String node) {
        return client.resources(LiveUpdateNode.class).withName(node).get().getSpec().getInstruction();
    }

    static boolean schedulableAndUnmarked(String node) {
        Node n = client.nodes().withName(node).get();
        return !Boolean.TRUE.equals(n.getSpec().getUnschedulable()) && (n.getMetadata().getAnnotations() == null
                || !n.getMetadata().getAnnotations().containsKey("liveupdate.dev/cordoned-by"));
    }

    static String kernel(String node) {
        return client.nodes().withName(node).get().getStatus().getNodeInfo().getKernelVersion();
    }

    static Condition condition(LiveUpdate lu, String type) {
        return lu.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void aBlockerPodThatAppearsAfterThePrepareHoldsBackTheReboot() {
        LiveUpdate staged = OperatorIT.plan("it-late-blocker", "7.7.0-it", Map.of("pool", List.of("late")), 1, 0);
        staged.getSpec().setTargetPhase(TargetPhase.Prepared);
        Blocker b = new Blocker();
        b.setName("nightly-backup");
        b.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "backup").build());
        staged.getSpec().setBlockers(List.of(b));
        client.resource(staged).create();
        awaitPhase("it-late-blocker", PlanPhase.Succeeded);
        assertThat(instruction("late-0").getStep()).isEqualTo(NodeStep.Prepared);
        assertThat(schedulableAndUnmarked("late-0")).isTrue();

        // The backup starts on the prepared node; no kubelet runs it, so it stays Pending, which blocks too.
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("late-ns").endMetadata()
                .build()).create();
        client.serviceAccounts().inNamespace("late-ns").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").endMetadata().build()).createOr(NonDeletingOperation::update);
        client.pods().inNamespace("late-ns").resource(new PodBuilder().withNewMetadata().withName("backup")
                .withLabels(Map.of("app", "backup")).endMetadata().withNewSpec().withNodeName("late-0")
                .withAutomountServiceAccountToken(false).addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec().build()).create();

        editSpec("it-late-blocker", p -> p.getSpec().setTargetPhase(TargetPhase.Finished));
        LiveUpdate held = awaitPlan("it-late-blocker", "says the node is held back by the backup", lu ->
                lu.getStatus().getPhase() == PlanPhase.Progressing
                        && lu.getStatus().getMessage().contains("late-0 is held back by nightly-backup"));
        assertThat(held.getStatus().getMessage()).contains("late-ns/backup");
        assertThat(condition(held, "Progressing").getMessage()).contains("late-0").contains("late-ns/backup");
        await("late-0 stays prepared and schedulable while the backup runs").during(HOLDS_FOR)
                .atMost(HOLDS_FOR.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> instruction("late-0").getStep() == NodeStep.Prepared && schedulableAndUnmarked("late-0"));
        String uid = held.getMetadata().getUid();
        assertThat(agents.reboots.get(uid + "/late-0")).isNull();

        client.pods().inNamespace("late-ns").withName("backup").withGracePeriod(0).delete();
        LiveUpdate done = awaitPhase("it-late-blocker", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("1/1");
        assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(1);
        assertThat(kernel("late-0")).isEqualTo("7.7.0-it");
        assertThat(agents.reboots.get(uid + "/late-0")).isEqualTo(1);
        assertThat(schedulableAndUnmarked("late-0")).isTrue();
    }

    @Test
    void aNodeThatJoinsAfterThePlanSucceededIsLeftAloneUnlessTheNodeJoinPolicyIsFollow() {
        client.resource(OperatorIT.plan("it-frozen", "7.8.0-it", Map.of("pool", List.of("frz")), 2, 0)).create();
        LiveUpdate follow = OperatorIT.plan("it-follow", "7.8.1-it", Map.of("pool", List.of("fol")), 2, 0);
        follow.getSpec().setNodeJoin(NodeJoinPolicy.Follow);
        client.resource(follow).create();
        assertThat(awaitPhase("it-frozen", PlanPhase.Succeeded).getStatus().getProgress()).isEqualTo("2/2");
        assertThat(awaitPhase("it-follow", PlanPhase.Succeeded).getStatus().getProgress()).isEqualTo("2/2");

        agents.addNode("frz-2", Map.of("pool", "frz"));
        agents.addNode("fol-2", Map.of("pool", "fol"));

        // Follow: the new node is taken to the target, even though the plan had already succeeded.
        LiveUpdate followed = awaitPlan("it-follow", "takes the new node", lu ->
                lu.getStatus().getPhase() == PlanPhase.Succeeded && "3/3".equals(lu.getStatus().getProgress()));
        assertThat(followed.getStatus().getNodeCounts().getFinished()).isEqualTo(3);
        assertThat(followed.getStatus().getNodeCounts().getSkipped()).isZero();
        assertThat(kernel("fol-2")).isEqualTo("7.8.1-it");
        assertThat(agents.reboots.get(followed.getMetadata().getUid() + "/fol-2")).isEqualTo(1);
        assertThat(schedulableAndUnmarked("fol-2")).isTrue();

        // Frozen (the default): a terminal Frozen plan is not woken by node events (PlanMappers.terminal; only its
        // resync, every 5m, or a spec edit runs it), so a harmless spec edit makes it look at the new node now.
        // (Spelling out nodeJoin: Frozen would not do: the API server already defaulted it, so no new generation.)
        editSpec("it-frozen", p -> p.getSpec().getStrategy().setMaxUnavailable(new IntOrString(3)));
        // The new node is counted, skipped, and never instructed; the plan stays Succeeded.
        LiveUpdate seen = awaitPlan("it-frozen", "counts the new node as skipped", lu ->
                lu.getStatus().getNodeCounts().getTotal() == 3 && lu.getStatus().getNodeCounts().getSkipped() == 1);
        assertThat(seen.getStatus().getPhase()).isEqualTo(PlanPhase.Succeeded);
        assertThat(seen.getStatus().getProgress()).isEqualTo("2/2");
        assertThat(seen.getStatus().getMessage()).contains("1 skipped (JoinedAfterStart: frz-2)");
        assertThat(condition(seen, "Ready").getStatus()).isEqualTo("True");
        await("frz-2 is never instructed").during(HOLDS_FOR).atMost(HOLDS_FOR.plusSeconds(5))
                .pollInterval(Duration.ofMillis(100)).until(() -> instruction("frz-2") == null
                        && get("it-frozen").getStatus().getPhase() == PlanPhase.Succeeded);
        assertThat(kernel("frz-2")).isEqualTo("6.12.0-test");
        assertThat(agents.reboots.get(seen.getMetadata().getUid() + "/frz-2")).isNull();
        assertThat(schedulableAndUnmarked("frz-2")).isTrue();
    }

    @Test
    void aNodeRunningANewerKernelIsNeverMovedBackUnlessDowngradesAreAllowed() {
        client.resource(OperatorIT.plan("it-older", "7.9.0-it", Map.of("pool", List.of("new")), 3, 0)).create();
        LiveUpdate done = awaitPhase("it-older", PlanPhase.Succeeded);
        // The skipped node is done but not capable: progress counts the other two only.
        assertThat(done.getStatus().getProgress()).isEqualTo("2/2");
        assertThat(done.getStatus().getNodeCounts().getTotal()).isEqualTo(3);
        assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(2);
        assertThat(done.getStatus().getNodeCounts().getSkipped()).isEqualTo(1);
        assertThat(done.getStatus().getMessage()).contains("1 skipped (NewerKernel: new-1)");
        assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
        String uid = done.getMetadata().getUid();
        assertThat(kernel("new-0")).isEqualTo("7.9.0-it");
        assertThat(kernel("new-2")).isEqualTo("7.9.0-it");
        assertThat(kernel("new-1")).isEqualTo("99.0.0");
        assertThat(instruction("new-1")).isNull();
        assertThat(agents.reboots.get(uid + "/new-1")).isNull();
        assertThat(client.resources(LiveUpdateNode.class).withName("new-1").get().getMetadata().getAnnotations())
                .doesNotContainKey("liveupdate.dev/outcome." + uid);
        assertThat(schedulableAndUnmarked("new-1")).isTrue();

        // strategy.allowDowngrade: a second plan to the same release takes new-1 back; the others are at target.
        LiveUpdate back = OperatorIT.plan("it-downgrade", "7.9.0-it", Map.of("pool", List.of("new")), 3, 0);
        back.getSpec().getStrategy().setAllowDowngrade(true);
        client.resource(back).create();
        LiveUpdate downgraded = awaitPhase("it-downgrade", PlanPhase.Succeeded);
        assertThat(downgraded.getStatus().getProgress()).isEqualTo("3/3");
        assertThat(downgraded.getStatus().getNodeCounts().getSkipped()).isZero();
        assertThat(kernel("new-1")).isEqualTo("7.9.0-it");
        assertThat(agents.reboots.get(downgraded.getMetadata().getUid() + "/new-1")).isEqualTo(1);
        assertThat(agents.reboots.get(downgraded.getMetadata().getUid() + "/new-0")).isNull();
    }
}
