package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instructions whose plan is gone, against a real kube-apiserver with the packaged operator as a process and
 * {@link SimulatedAgents} playing the agents: the operator's second controller (OrphanedInstructionReconciler)
 * clears an instruction that names a plan uid nobody has, tells a node that may have rebooted for such a plan
 * Finished before it clears it (and lifts the gone plan's cordon), gives back the nodes of a plan deleted with its
 * finalizer stripped, and leaves the instruction of a live plan alone, even one created a moment before.
 */
class OrphanedInstructionIT {
    private static final Duration WITHIN = Duration.ofSeconds(60);
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
        for (String n : List.of("ghost-0", "ghost-1", "live-0", "strip-0")) {
            agents.addNode(n, Map.of("pool", n.substring(0, n.indexOf('-'))));
        }
        agents.start();
        operator = OperatorIT.startOperator(cluster, Path.of("target/it/operator-orphaned-instructions.log"));
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

    static LiveUpdate plan(String name) {
        return client.resources(LiveUpdate.class).withName(name).get();
    }

    static LiveUpdateNode lun(String node) {
        return client.resources(LiveUpdateNode.class).withName(node).get();
    }

    static NodeInstruction instruction(String node) {
        return lun(node).getSpec().getInstruction();
    }

    static String outcome(String node, String planUid) {
        Map<String, String> ann = lun(node).getMetadata().getAnnotations();
        return ann == null ? null : ann.get("liveupdate.dev/outcome." + planUid);
    }

    /** An instruction as a person (system:masters, exempt from the admission policy) would write it by hand. */
    static void writeInstruction(String node, String planName, String planUid, NodeStep step) {
        PlanReference ref = new PlanReference();
        ref.setName(planName);
        ref.setUid(planUid);
        ref.setGeneration(1L);
        KernelSpec k = new KernelSpec();
        k.setRelease("7.1.0-it");
        k.setImage("/boot/vmlinuz-7.1.0-it");
        NodeInstruction in = new NodeInstruction();
        in.setPlan(ref);
        in.setStep(step);
        in.setKernel(k);
        client.resources(LiveUpdateNode.class).withName(node).edit(l -> {
            l.getSpec().setInstruction(in);
            return l;
        });
    }

    static List<Event> events(String node, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> node.equals(e.getInvolvedObject().getName())
                        && "LiveUpdateNode".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
                .toList();
    }

    static boolean schedulableAndUnmarked(String node) {
        Node n = client.nodes().withName(node).get();
        return !Boolean.TRUE.equals(n.getSpec().getUnschedulable()) && (n.getMetadata().getAnnotations() == null
                || !n.getMetadata().getAnnotations().containsKey("liveupdate.dev/cordoned-by"));
    }

    @Test
    void anInstructionForAPlanUidNobodyHasIsClearedWithAnEventAndAnOutcomeThatSayWhy() {
        String uid = UUID.randomUUID().toString();
        writeInstruction("ghost-0", "ghost", uid, NodeStep.Prepared);

        await("ghost-0's instruction cleared").atMost(WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> instruction("ghost-0") == null);
        assertThat(outcome("ghost-0", uid)).contains("\"result\":\"Cancelled\"").contains("PlanGone")
                .contains("instruction Prepared of plan ghost (uid " + uid + ")")
                .contains("no LiveUpdate named ghost exists");
        await("the event on ghost-0").atMost(WITHIN).until(() -> !events("ghost-0", "PlanGoneCleared").isEmpty());
        Event e = events("ghost-0", "PlanGoneCleared").get(0);
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).contains("plan ghost (uid " + uid + ")").contains("no LiveUpdate named ghost exists");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(lun("ghost-0").getMetadata().getUid());
        assertThat(lun("ghost-0").getMetadata().getFinalizers())
                .as("the second controller puts no finalizer on LiveUpdateNodes (they go with their Node)").isEmpty();
    }

    @Test
    void aNodeThatRebootedForAGonePlanIsToldFinishedThenClearedAndUncordoned() {
        String uid = UUID.randomUUID().toString();
        // The gone plan had cordoned the node and asked it to reboot; the agent came back Updated for it.
        client.nodes().withName("ghost-1").edit(n -> {
            n.getMetadata().getAnnotations().put("liveupdate.dev/cordoned-by", uid);
            n.getSpec().setUnschedulable(true);
            return n;
        });
        writeInstruction("ghost-1", "gone-plan", uid, NodeStep.Rebooted);
        PlanReference ref = instruction("ghost-1") == null ? null : lun("ghost-1").getSpec().getInstruction().getPlan();
        assertThat(ref).as("not cleared while the node may run the new kernel").isNotNull();
        // The operator writes the instruction meanwhile (Finished): a status write that lost that race is retried.
        await("ghost-1 reports Updated").atMost(WITHIN).ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> client.resources(LiveUpdateNode.class).withName("ghost-1").editStatus(l -> {
                    l.getStatus().setPhase(NodePhase.Updated);
                    l.getStatus().setPlan(ref);
                    l.getStatus().setObservedGeneration(l.getMetadata().getGeneration());
                    return l;
                }) != null);

        // Told Finished (the agent restores and FINISHes), then cleared once the agent reports Finished.
        await("ghost-1 cleared after its finish").atMost(WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> instruction("ghost-1") == null);
        assertThat(events("ghost-1", "PlanGoneFinishing")).isNotEmpty();
        assertThat(outcome("ghost-1", uid)).contains("\"result\":\"Finished\"").contains("PlanGone")
                .contains("the agent reported Finished");
        assertThat(schedulableAndUnmarked("ghost-1")).as("the gone plan's cordon is lifted").isTrue();
    }

    @Test
    void aPlanDeletedWithItsFinalizerStrippedLeavesNoInstructionBehind() {
        LiveUpdate staged = OperatorIT.plan("it-stripped", "7.2.0-it", Map.of("pool", List.of("strip")), 1, 0);
        staged.getSpec().setTargetPhase(TargetPhase.Prepared);
        client.resource(staged).create();
        await("it-stripped prepared strip-0").atMost(WITHIN).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> plan("it-stripped").getStatus().getPhase() == PlanPhase.Succeeded);
        String uid = plan("it-stripped").getMetadata().getUid();
        assertThat(instruction("strip-0").getStep()).isEqualTo(NodeStep.Prepared);

        // The agent hangs, so the plan's own deletion cannot finish; a person strips the finalizer.
        agents.silent.add("strip-0");
        client.resources(LiveUpdate.class).withName("it-stripped").delete();
        await("the deletion tells strip-0 Cancelled").atMost(WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> instruction("strip-0").getStep() == NodeStep.Cancelled);
        client.resources(LiveUpdate.class).withName("it-stripped").edit(p -> {
            p.getMetadata().setFinalizers(List.of());
            return p;
        });

        await("strip-0 given back").atMost(WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> instruction("strip-0") == null);
        assertThat(outcome("strip-0", uid)).contains("PlanGone").contains("no LiveUpdate named it-stripped exists");
        assertThat(lun("strip-0").getMetadata().getAnnotations()).doesNotContainKey("liveupdate.dev/ledger");
        agents.silent.remove("strip-0");
        await("the agent goes Idle").atMost(WITHIN)
                .until(() -> lun("strip-0").getStatus().getPhase() == NodePhase.Idle);
    }

    @Test
    void theInstructionOfALivePlanIsLeftAloneEvenRightAfterThePlanWasCreated() {
        LiveUpdate paused = OperatorIT.plan("it-live", "7.3.0-it", Map.of("pool", List.of("live")), 1, 0);
        paused.getSpec().setPaused(true);
        String uid = client.resource(paused).create().getMetadata().getUid();
        // Written at once: the operator's plan cache may not show the plan yet; the API server does.
        writeInstruction("live-0", "it-live", uid, NodeStep.Prepared);

        await("live-0 keeps its instruction").during(HOLDS_FOR).atMost(HOLDS_FOR.plusSeconds(5))
                .pollInterval(Duration.ofMillis(100)).until(() -> instruction("live-0") != null
                        && uid.equals(instruction("live-0").getPlan().getUid()));
        assertThat(outcome("live-0", uid)).isNull();
        assertThat(events("live-0", "PlanGoneCleared")).isEmpty();
        assertThat(events("live-0", "PlanGoneFinishing")).isEmpty();
    }
}
