package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.SessionState;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent upgrades against a real kube-apiserver with the packaged operator as a process: the agent DaemonSet with
 * updateStrategy OnDelete is "upgraded" (its template changes, as helm upgrade does) while a plan holds one node
 * Prepared. The test cluster has no kubelet and no DaemonSet controller, so {@link FakeDaemonSetController} plays
 * both: it creates each node's agent pod with the labels the DaemonSet controller sets (controller-revision-hash,
 * pod-template-generation), marks it Ready a moment later, and completes a graceful deletion a moment later. The
 * operator must replace the agents of idle nodes and of a node without LiveUpdateNode, one at a time, never the
 * agent of the Prepared node until that node is idle, nor that of a node keeping a failed restore's files until they
 * are released, and never a pod it already replaced.
 */
class AgentRolloutIT {
    private static final Duration WITHIN = Duration.ofSeconds(90);
    static final String NS = "liveupdate-system";
    static final String DS = "lu-agent";
    static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/name", "liveupdate-operator",
            "app.kubernetes.io/component", "agent");
    static final List<String> IDLE = List.of("idle-0", "idle-1", "idle-2");
    static final String PREPARED = "prep-0";
    static final String NO_LUN = "none-0";
    static final String HELD_RESTORE = "held-0";
    static final List<String> NODES = List.of("idle-0", "idle-1", "idle-2", PREPARED, NO_LUN, HELD_RESTORE);
    static TestCluster cluster;
    static KubernetesClient client;
    static ManagedProcess operator;
    static FakeDaemonSetController daemons;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().withRepoCrds().start();
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        for (String n : IDLE) {
            cluster.nodes().create(n, Map.of("pool", "idle"));
            lun(n, NodePhase.Idle);
        }
        cluster.nodes().create(NO_LUN, Map.of("pool", "none"));
        // No plan holds held-0, but a failed restore keeps the workloads' files until a person releases them.
        cluster.nodes().create(HELD_RESTORE, Map.of("pool", "held"));
        lun(HELD_RESTORE, NodePhase.Idle);
        restoreHeld(HELD_RESTORE, true);
        // A paused plan holds prep-0 Prepared (its instruction written as the plan would have, the agent holding a
        // session for it); paused, so it neither moves the node on nor gives it back during the test.
        cluster.nodes().create(PREPARED, Map.of("pool", "prep"));
        LiveUpdate plan = OperatorIT.plan("plan-x", "7.4.0-it", Map.of("pool", List.of("prep")), 1, 0);
        plan.getSpec().setPaused(true);
        plan = client.resource(plan).create();
        lun(PREPARED, NodePhase.Idle);
        holdPrepared(PREPARED, plan);

        DaemonSet ds = client.apps().daemonSets().inNamespace(NS).resource(new DaemonSetBuilder()
                .withNewMetadata().withName(DS).withNamespace(NS).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(SELECTOR).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewTemplate().withNewMetadata().withLabels(SELECTOR).endMetadata()
                .withNewSpec().addNewContainer().withName("agent").withImage("liveupdate/agent:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        daemons = new FakeDaemonSetController(ds);
        daemons.revision("h1", 1);
        daemons.start();
        await("every node runs a Ready agent").atMost(WITHIN).until(() -> daemons.unavailableNodes() == 0);
        operator = OperatorIT.startOperator(cluster, Path.of("target/it/operator-agent-rollout.log"),
                List.of("-Dliveupdate.operator.agent-daemon-set=" + DS, "-Dliveupdate.operator.agent-namespace=" + NS,
                        "-Dliveupdate.operator.agent-max-unavailable=1"));
    }

    @AfterAll
    static void stop() {
        if (daemons != null) {
            daemons.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static void lun(String node, NodePhase phase) {
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(node).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(node);
        lun.setSpec(spec);
        client.resource(lun).create();
        client.resources(LiveUpdateNode.class).withName(node).editStatus(l -> {
            LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
            s.setPhase(phase);
            s.setObservedGeneration(l.getMetadata().getGeneration());
            l.setStatus(s);
            return l;
        });
    }

    static void holdPrepared(String node, LiveUpdate plan) {
        PlanReference ref = new PlanReference();
        ref.setName(plan.getMetadata().getName());
        ref.setUid(plan.getMetadata().getUid());
        ref.setGeneration(1L);
        KernelSpec k = new KernelSpec();
        k.setRelease("7.4.0-it");
        k.setImage("/boot/vmlinuz-7.4.0-it");
        NodeInstruction in = new NodeInstruction();
        in.setPlan(ref);
        in.setStep(NodeStep.Prepared);
        in.setKernel(k);
        client.resources(LiveUpdateNode.class).withName(node).edit(l -> {
            l.getSpec().setInstruction(in);
            return l;
        });
        client.resources(LiveUpdateNode.class).withName(node).editStatus(l -> {
            SessionStatus vm = new SessionStatus();
            vm.setName("vm");
            vm.setState(SessionState.Created);
            l.getStatus().setPhase(NodePhase.Prepared);
            l.getStatus().setPlan(ref);
            l.getStatus().setSessions(List.of(vm));
            l.getStatus().setObservedGeneration(l.getMetadata().getGeneration());
            return l;
        });
    }

    static void restoreHeld(String node, boolean held) {
        client.resources(LiveUpdateNode.class).withName(node).editStatus(l -> {
            l.getStatus().setReason(held ? "UnreleasedRestore" : null);
            l.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                    .withType("RestoreHeld").withStatus(held ? "True" : "False")
                    .withReason(held ? "RestoreTimeout" : "Released").withMessage(held ? "files held" : "released")
                    .withLastTransitionTime(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                    .build()));
            return l;
        });
    }

    static List<Event> events(String involvedName, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    @Test
    void helmUpgradeMidPlanReplacesIdleAgentsOneAtATimeAndThePreparedNodesAgentOnlyOnceItIsIdle() {
        Map<String, String> before = daemons.podByNode();
        assertThat(before).containsOnlyKeys(NODES);

        // helm upgrade: a new agent image. The API server raises generation and template generation; the
        // DaemonSet controller (played here) records the new ControllerRevision and observes the generation.
        DaemonSet upgraded = client.apps().daemonSets().inNamespace(NS).withName(DS).edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("liveupdate/agent:2");
            return d;
        });
        assertThat(upgraded.getMetadata().getAnnotations())
                .containsEntry("deprecated.daemonset.template.generation", "2");
        daemons.monitor.set(true);
        daemons.revision("h2", 2);

        Set<String> replacedNodes = new HashSet<>(IDLE);
        replacedNodes.add(NO_LUN);
        await("the agents of the idle nodes and of the node without LiveUpdateNode run the new revision")
                .atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> replacedNodes.stream().allMatch(n -> "h2".equals(daemons.readyRevision(n))));
        String preparedPod = before.get(PREPARED);
        String heldPod = before.get(HELD_RESTORE);
        assertThat(daemons.podByNode()).containsEntry(PREPARED, preparedPod).containsEntry(HELD_RESTORE, heldPod);
        assertThat(daemons.deleted).doesNotContain(preparedPod, heldPod);
        await("the agent keeping a failed restore's files is told why").atMost(WITHIN)
                .until(() -> !events(heldPod, "AgentUpdateWaiting").isEmpty());
        assertThat(events(heldPod, "AgentUpdateWaiting").get(0).getMessage())
                .startsWith("waiting: held-0 keeps the files of a failed restore until a person releases them");
        await("the waiting agent is told why").atMost(WITHIN)
                .until(() -> !events(preparedPod, "AgentUpdateWaiting").isEmpty());
        Event waiting = events(preparedPod, "AgentUpdateWaiting").get(0);
        assertThat(waiting.getType()).isEqualTo("Normal");
        assertThat(waiting.getMessage()).startsWith("waiting: prep-0 is Prepared for plan plan-x;")
                .contains("revision h1, the DaemonSet's is h2");
        await("an event on the DaemonSet per replaced agent").atMost(WITHIN)
                .until(() -> events(DS, "AgentReplaced").size() == replacedNodes.size());
        assertThat(events(DS, "AgentReplaced")).allSatisfy(e -> assertThat(e.getMessage())
                .startsWith("deleted outdated agent pod ").contains("(revision h1, the DaemonSet's is h2)"));
        assertThat(events(DS, "AgentReplaced").stream().map(Event::getMessage))
                .anySatisfy(m -> assertThat(m).contains("on none-0").contains("none-0 has no LiveUpdateNode"))
                .anySatisfy(m -> assertThat(m).contains("on idle-1")
                        .contains("no plan holds idle-1 and its agent reports Idle with nothing in flight"));

        // The plan lets go of prep-0 and its agent reports Idle: now its agent is replaced too.
        client.resources(LiveUpdateNode.class).withName(PREPARED).edit(l -> {
            l.getSpec().setInstruction(null);
            return l;
        });
        client.resources(LiveUpdateNode.class).withName(PREPARED).editStatus(l -> {
            l.getStatus().setPhase(NodePhase.Idle);
            l.getStatus().setPlan(null);
            l.getStatus().setSessions(null);
            l.getStatus().setObservedGeneration(l.getMetadata().getGeneration());
            return l;
        });
        await("prep-0's agent replaced once its node is idle").atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> "h2".equals(daemons.readyRevision(PREPARED)));
        assertThat(daemons.deleted).as("held-0 still keeps its agent").doesNotContain(heldPod);
        // A person releases the failed restore (the agent reports it released): that agent is replaced as well.
        restoreHeld(HELD_RESTORE, false);
        await("held-0's agent replaced once the restore is released").atMost(WITHIN)
                .pollInterval(Duration.ofMillis(200)).until(() -> "h2".equals(daemons.readyRevision(HELD_RESTORE)));

        assertThat(daemons.worstUnavailable.get()).as("agent-max-unavailable=1: never two nodes without their agent")
                .isEqualTo(1);
        assertThat(daemons.deleted).as("each old agent replaced once, no new agent ever deleted")
                .containsExactlyInAnyOrderElementsOf(before.values());
    }

    /**
     * Plays the DaemonSet controller and the kubelets for the agent DaemonSet: one pod per node of the current
     * revision, Ready a moment after its creation; a graceful deletion completes a moment after it began. Records
     * every pod that was deleted and the most nodes that were without a Ready agent at once (while monitoring).
     */
    static final class FakeDaemonSetController implements AutoCloseable {
        static final Duration STARTUP = Duration.ofMillis(800);
        static final Duration SHUTDOWN = Duration.ofMillis(300);
        final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final AtomicInteger worstUnavailable = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean monitor = new java.util.concurrent.atomic.AtomicBoolean();
        private final DaemonSet ds;
        private final Map<String, Instant> firstSeen = new HashMap<>();
        private volatile String hash;
        private volatile String templateGeneration;
        private volatile List<Pod> pods = List.of();

        FakeDaemonSetController(DaemonSet ds) {
            this.ds = ds;
        }

        /** The DaemonSet controller's part of an update: the ControllerRevision, then the observed generation. */
        void revision(String newHash, long revision) {
            DaemonSet now = client.apps().daemonSets().inNamespace(NS).withName(DS).get();
            client.apps().controllerRevisions().inNamespace(NS).resource(new ControllerRevisionBuilder()
                    .withNewMetadata().withName(DS + "-" + newHash).withNamespace(NS)
                    .addToLabels(SELECTOR).addToLabels("controller-revision-hash", newHash)
                    .withOwnerReferences(owner()).endMetadata()
                    .withData(Map.of("spec", Map.of("template", Map.of("$patch", "replace", "image", newHash))))
                    .withRevision(revision).build()).create();
            hash = newHash;
            templateGeneration = now.getMetadata().getAnnotations().get("deprecated.daemonset.template.generation");
            client.apps().daemonSets().inNamespace(NS).withName(DS).editStatus(d -> {
                DaemonSetStatus s = new DaemonSetStatus();
                s.setObservedGeneration(d.getMetadata().getGeneration());
                s.setCurrentNumberScheduled(0);
                s.setDesiredNumberScheduled(NODES.size());
                s.setNumberMisscheduled(0);
                s.setNumberReady(0);
                d.setStatus(s);
                return d;
            });
        }

        void start() {
            loop.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
        }

        private io.fabric8.kubernetes.api.model.OwnerReference owner() {
            return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("DaemonSet").withName(DS)
                    .withUid(ds.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
        }

        private void tick() {
            try {
                Instant now = Instant.now();
                List<Pod> list = client.pods().inNamespace(NS).withLabels(SELECTOR).list().getItems();
                Set<String> covered = new HashSet<>();
                for (Pod p : list) {
                    String name = p.getMetadata().getName();
                    Instant seen = firstSeen.computeIfAbsent(name + (p.getMetadata().getDeletionTimestamp() != null
                            ? "/deleting" : ""), k -> now);
                    covered.add(p.getSpec().getNodeName());
                    if (p.getMetadata().getDeletionTimestamp() != null) {
                        deleted.add(name);
                        if (now.isAfter(seen.plus(SHUTDOWN))) {
                            client.pods().inNamespace(NS).withName(name).withGracePeriod(0).delete();
                        }
                    } else if (!ready(p) && now.isAfter(seen.plus(STARTUP))) {
                        client.pods().inNamespace(NS).withName(name).editStatus(q -> {
                            q.getStatus().setPhase("Running");
                            q.getStatus().setConditions(List.of(readyCondition()));
                            return q;
                        });
                    }
                }
                for (String node : NODES) {
                    if (!covered.contains(node)) {
                        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata()
                                .withGenerateName(DS + "-").withNamespace(NS).addToLabels(SELECTOR)
                                .addToLabels("controller-revision-hash", hash)
                                .addToLabels("pod-template-generation", templateGeneration)
                                .withOwnerReferences(owner()).endMetadata()
                                .withNewSpec().withNodeName(node).addNewContainer().withName("agent")
                                .withImage("liveupdate/agent").endContainer().endSpec().build()).create();
                    }
                }
                pods = list;
                if (monitor.get()) {
                    worstUnavailable.accumulateAndGet(unavailableNodes(), Math::max);
                }
            } catch (RuntimeException e) {
                System.err.println("fake DaemonSet controller: " + e);
            }
        }

        static PodCondition readyCondition() {
            return new PodConditionBuilder().withType("Ready").withStatus("True").build();
        }

        static boolean ready(Pod p) {
            return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                    .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        }

        /** Nodes without a Ready agent pod that is not being deleted (as of the last tick). */
        int unavailableNodes() {
            Set<String> fine = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && ready(p))
                    .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
            return (int) NODES.stream().filter(n -> !fine.contains(n)).count();
        }

        /** Node -> the name of its (first) agent pod, as of now. */
        Map<String, String> podByNode() {
            Map<String, String> m = new LinkedHashMap<>();
            client.pods().inNamespace(NS).withLabels(SELECTOR).list().getItems()
                    .forEach(p -> m.putIfAbsent(p.getSpec().getNodeName(), p.getMetadata().getName()));
            return m;
        }

        /** The revision hash of the node's Ready, not deleting agent pod, or null. */
        String readyRevision(String node) {
            List<Pod> onNode = client.pods().inNamespace(NS).withLabels(SELECTOR).list().getItems().stream()
                    .filter(p -> node.equals(p.getSpec().getNodeName())).toList();
            return onNode.size() == 1 && onNode.get(0).getMetadata().getDeletionTimestamp() == null
                    && ready(onNode.get(0)) ? onNode.get(0).getMetadata().getLabels().get("controller-revision-hash")
                    : null;
        }

        @Override
        public void close() {
            loop.shutdownNow();
        }
    }
}
