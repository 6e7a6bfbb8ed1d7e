package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.NodeAction;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pass's writes go out concurrently, one chain per node: each node's cordon before its {@code Rebooted}
 * instruction, none after a failed cordon, every write in {@link ReadYourWrites} when the pass returns. The API server
 * is a fake here (this is the executor's own ordering, not the cluster's behaviour).
 */
class ActionExecutorConcurrencyTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String UID = "plan-uid";
    private static final int BOUND = 4;

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, LiveUpdateNode> luns = new HashMap<>();
    private final ReadYourWrites written = new ReadYourWrites(() -> 0L);
    private final FakeServer server = new FakeServer();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool = Executors.newFixedThreadPool(BOUND);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void nodesAreWrittenConcurrentlyUpToTheBoundEachCordonBeforeItsRebootedInstruction() {
        List<NodeAction> actions = cordonAndRebootEach(12);
        server.holdUntilInFlight(BOUND); // the first writes return only once BOUND of them are under way together

        ActionExecutor.Result r = executor(NodeWriteChains.on(pool)).execute(plan(), actions);

        assertThat(server.peakInFlight.get()).isEqualTo(BOUND);
        assertThat(r).isEqualTo(new ActionExecutor.Result(24, 0));
        for (int i = 0; i < 12; i++) {
            String n = "node-" + i;
            assertThat(server.writesOf(n)).containsExactly("cordon", "lun:Rebooted");
        }
    }

    @Test
    void aCordonThatLostItsRaceMeansNoRebootedInstructionForThatNodeOnly() {
        List<NodeAction> actions = cordonAndRebootEach(8);
        server.conflictOnCordon.add("node-3");

        ActionExecutor.Result r = executor(NodeWriteChains.on(pool)).execute(plan(), actions);

        assertThat(server.writesOf("node-3")).containsExactly("cordon"); // tried, 409: nothing after it
        for (int i = 0; i < 8; i++) {
            if (i != 3) {
                assertThat(server.writesOf("node-" + i)).containsExactly("cordon", "lun:Rebooted");
            }
        }
        assertThat(r).isEqualTo(new ActionExecutor.Result(14, 2));
        assertThat(events).doesNotContain("rebooting node-3").hasSize(7);
    }

    @Test
    void whenThePassReturnsEveryWriteIsDoneAndCountsInTheNextDecision() {
        List<NodeAction> actions = cordonAndRebootEach(10);

        executor(NodeWriteChains.on(pool)).execute(plan(), actions);

        assertThat(server.inFlight.get()).isZero();
        FleetSnapshot.Caches next = written.over(new MapCaches(nodes, luns)); // the informers have shown nothing yet
        assertThat(next.nodesCordonedBy(UID)).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(next.lun("node-" + i)).get()
                    .extracting(l -> l.getSpec().getInstruction().getStep()).isEqualTo(NodeStep.Rebooted);
        }
    }

    @Test
    void eventsOfAppliedWritesFollowInThePlannersOrder() {
        List<NodeAction> actions = cordonAndRebootEach(9);

        executor(NodeWriteChains.on(pool)).execute(plan(), actions);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            expected.add("rebooting node-" + i);
        }
        assertThat(events).containsExactlyElementsOf(expected);
    }

    @Test
    void aServerFailureIsThrownAfterTheWritesUnderWayEndedAndAnUncertainCordonStillCounts() {
        List<NodeAction> actions = cordonAndRebootEach(6);
        server.failOnCordon.add("node-2");

        assertThatThrownBy(() -> executor(NodeWriteChains.on(pool)).execute(plan(), actions))
                .isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(503);

        assertThat(server.inFlight.get()).isZero();
        assertThat(server.writesOf("node-2")).containsExactly("cordon");
        // a 503 may have landed: the cordon counts against the budget until the cache says otherwise
        assertThat(written.over(new MapCaches(nodes, luns)).node("node-2")).get()
                .extracting(n -> n.getSpec().getUnschedulable()).isEqualTo(true);
    }

    @Test
    void sequentialChainsStartNoFurtherNodeAfterAServerFailure() {
        List<NodeAction> actions = cordonAndRebootEach(5);
        server.failOnCordon.add("node-1");

        assertThatThrownBy(() -> executor(NodeWriteChains.SEQUENTIAL).execute(plan(), actions))
                .isInstanceOf(KubernetesClientException.class);

        assertThat(server.writesOf("node-0")).containsExactly("cordon", "lun:Rebooted");
        assertThat(server.writesOf("node-1")).containsExactly("cordon");
        for (int i = 2; i < 5; i++) {
            assertThat(server.writesOf("node-" + i)).isEmpty();
        }
        assertThat(events).containsExactly("rebooting node-0");
    }

    @Test
    void aBoundOfOneWritesInTheCallingThread() {
        assertThat(NodeWriteChains.bounded(1)).isSameAs(NodeWriteChains.SEQUENTIAL);
        try (NodeWriteChains chains = NodeWriteChains.bounded(3)) {
            List<NodeAction> actions = cordonAndRebootEach(3);
            assertThat(executor(chains).execute(plan(), actions)).isEqualTo(new ActionExecutor.Result(6, 0));
        }
    }

    @Test
    void writersShutDownMeanNoWriteAndAClearErrorNotAHang() {
        NodeWriteChains chains = NodeWriteChains.bounded(2);
        chains.close();

        assertThatThrownBy(() -> executor(chains).execute(plan(), cordonAndRebootEach(3)))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(server.writesOf("node-0")).isEmpty();
    }

    private ActionExecutor executor(NodeWriteChains chains) {
        return new ActionExecutor(server, written.over(new MapCaches(nodes, luns)), written, uid -> true,
                (p, e) -> events.add(e.message()), (p, b) -> { }, chains);
    }

    /** The planner's order for a wave's reboot admission: every cordon, then every instruction. */
    private List<NodeAction> cordonAndRebootEach(int count) {
        List<NodeAction> cordons = new ArrayList<>();
        List<NodeAction> reboots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = "node-" + i;
            nodes.put(n, node(n, "1", null));
            luns.put(n, lun(n, "1"));
            cordons.add(new NodeAction.Cordon(n, "1"));
            reboots.add(new NodeAction.IssueStep(n, "1", NodeStep.Rebooted,
                    new Ledger(UID, 1, T0, T0, "boot-" + n, null, null, null), PlanEvent.normal("Rebooting",
                            "rebooting " + n)));
        }
        cordons.addAll(reboots);
        return cordons;
    }

    private static LiveUpdate plan() {
        LiveUpdate p = new LiveUpdate();
        p.setMetadata(new ObjectMetaBuilder().withName("plan").withUid(UID).withGeneration(1L).build());
        p.setSpec(new LiveUpdateSpec());
        return p;
    }

    private static Node node(String name, String rv, String cordonedBy) {
        return new NodeBuilder().withNewMetadata().withName(name).withResourceVersion(rv)
                .withAnnotations(cordonedBy == null ? Map.of() : Map.of(Annotations.CORDONED_BY, cordonedBy))
                .endMetadata().withNewSpec().withUnschedulable(cordonedBy != null).endSpec().build();
    }

    private static LiveUpdateNode lun(String name, String rv) {
        LiveUpdateNode l = new LiveUpdateNode();
        l.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion(rv).withGeneration(1L).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        l.setSpec(spec);
        return l;
    }

    /** Records each node's writes in order; can hold writes until a number of them are in flight together. */
    private static final class FakeServer implements ClusterWrites {
        final Set<String> conflictOnCordon = ConcurrentHashMap.newKeySet();
        final Set<String> failOnCordon = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();
        private final Map<String, List<String>> writes = new ConcurrentHashMap<>();
        private final KubernetesSerialization serialization = new KubernetesSerialization();
        private volatile CountDownLatch together = new CountDownLatch(0);

        void holdUntilInFlight(int n) {
            together = new CountDownLatch(n);
        }

        List<String> writesOf(String node) {
            return writes.getOrDefault(node, List.of());
        }

        @Override
        public Node mergePatchNode(String name, String mergePatch) {
            enter(name, "cordon");
            try {
                if (conflictOnCordon.contains(name)) {
                    throw new KubernetesClientException("conflict", 409, null);
                }
                if (failOnCordon.contains(name)) {
                    throw new KubernetesClientException("unavailable", 503, null);
                }
                return node(name, "2", UID);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public LiveUpdateNode updateLun(LiveUpdateNode lun) {
            enter(lun.getMetadata().getName(), "lun:" + lun.getSpec().getInstruction().getStep());
            try {
                LiveUpdateNode stored = copy(lun);
                stored.getMetadata().setResourceVersion("2");
                return stored;
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private void enter(String node, String write) {
            writes.computeIfAbsent(node, k -> Collections.synchronizedList(new ArrayList<>())).add(write);
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CountDownLatch latch = together;
            latch.countDown();
            try {
                // A timeout (writes not concurrent) leaves the peak below the bound, which the test asserts.
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public <T> T copy(T object) {
            return serialization.clone(object);
        }
    }
}
