package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator as a separate process against a real kube-apiserver (test-cluster), with a test thread
 * playing the agents. Checks what only a real API server shows: server-side-apply status, the CEL rule between two
 * plans, set-based selectors, the finalizer, cordons through merge patches with resourceVersion preconditions.
 */
class OperatorIT {
    private static final Duration ROLLOUT = Duration.ofMinutes(3);
    static TestCluster cluster;
    static KubernetesClient client;
    static SimulatedAgents agents;
    static ManagedProcess operator;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().withRepoCrds().start();
        client = cluster.client();
        agents = new SimulatedAgents(cluster);
        for (int i = 0; i < 5; i++) {
            agents.addNode("kvm-" + i, Map.of("pool", "kvm", "zone", "z" + (i % 2)));
        }
        agents.addNode("db-0", Map.of("pool", "db"));
        for (int i = 0; i < 3; i++) {
            agents.addNode("del-" + i, Map.of("pool", "del"));
            agents.addNode("cf-" + i, Map.of("pool", "cf"));
        }
        for (int i = 0; i < 2; i++) {
            agents.addNode("blk-" + i, Map.of("pool", "blk"));
        }
        for (int i = 0; i < 4; i++) {
            agents.addNode("rst-" + i, Map.of("pool", "rst"));
        }
        for (int i = 0; i < 3; i++) {
            agents.addNode("bb-" + i, Map.of("pool", "bb"));
        }
        for (int i = 0; i < 3; i++) {
            agents.addNode("mnt-" + i, Map.of("pool", "mnt"));
        }
        for (int i = 0; i < 2; i++) {
            agents.addNode("hg-" + i, Map.of("pool", "hg"));
        }
        agents.blackoutMillis.put("bb-0", 9100L); // the canary (nodes are taken by name)
        agents.start();
        operator = startOperator();
    }

    static ManagedProcess startOperator() {
        return startOperator(cluster, Path.of("target/it/operator.log"));
    }

    /** The packaged operator as a process against {@code cluster}, logging to {@code log}. */
    static ManagedProcess startOperator(TestCluster cluster, Path log) {
        return startOperator(cluster, log, List.of());
    }

    /** The same, with extra {@code -Dkey=value} settings before the jar. */
    static ManagedProcess startOperator(TestCluster cluster, Path log, List<String> settings) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("liveupdate.operator.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-Dkubeconfig=" + cluster.kubeconfig(),
                "-Dquarkus.http.port=0", "-Dliveupdate.leader-election.lease-namespace=default"));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar));
        return ManagedProcess.start("operator", command, log);
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

    static LiveUpdate plan(String name, String release, Map<String, List<String>> in, int maxUnavailable, int canary) {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName(name).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        LabelSelectorBuilder sel = new LabelSelectorBuilder();
        in.forEach((k, v) -> sel.addNewMatchExpression().withKey(k).withOperator("In").withValues(v).endMatchExpression());
        spec.setNodeSelector(sel.build());
        KernelSpec k = new KernelSpec();
        k.setRelease(release);
        k.setImage("/boot/vmlinuz-" + release);
        spec.setKernel(k);
        RolloutStrategy s = new RolloutStrategy();
        s.setMaxUnavailable(new IntOrString(maxUnavailable));
        s.setCanaryNodes(canary);
        spec.setStrategy(s);
        lu.setSpec(spec);
        return lu;
    }

    static LiveUpdate get(String name) {
        return client.resources(LiveUpdate.class).withName(name).get();
    }

    static LiveUpdate awaitPhase(String name, PlanPhase phase) {
        await(name + " " + phase).atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(name).getStatus().getPhase() == phase
                        && get(name).getStatus().getObservedGeneration().equals(get(name).getMetadata().getGeneration()));
        return get(name);
    }

    static Condition condition(LiveUpdate lu, String type) {
        return lu.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void rolloutOverASetBasedSelectorStaysWithinTheBudgetAndLeavesNothingBehind() {
        AtomicInteger worst = new AtomicInteger();
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        monitor.scheduleAtFixedRate(() -> {
            try {
                int down = (int) client.nodes().withLabel("pool", "kvm").list().getItems().stream()
                        .filter(n -> Boolean.TRUE.equals(n.getSpec().getUnschedulable()) || !ready(n)).count();
                worst.accumulateAndGet(down, Math::max);
            } catch (RuntimeException e) {
                // next sample
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        try {
            client.resource(plan("it-full", "7.2.0-it", Map.of("pool", List.of("kvm"), "zone", List.of("z0", "z1")),
                    2, 1)).create();
            LiveUpdate done = awaitPhase("it-full", PlanPhase.Succeeded);
            assertThat(done.getStatus().getProgress()).isEqualTo("5/5");
            assertThat(done.getStatus().getNodeCounts().getFinished()).isEqualTo(5);
            assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
            assertThat(done.getStatus().getCompletionTime()).isNotNull();
            assertThat(done.getMetadata().getFinalizers()).isNotEmpty();
        } finally {
            monitor.shutdownNow();
        }
        assertThat(worst.get()).as("most kvm nodes unavailable at once").isLessThanOrEqualTo(2);
        String uid = get("it-full").getMetadata().getUid();
        for (int i = 0; i < 5; i++) {
            Node n = client.nodes().withName("kvm-" + i).get();
            assertThat(n.getStatus().getNodeInfo().getKernelVersion()).isEqualTo("7.2.0-it");
            assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            assertThat(n.getMetadata().getAnnotations()).doesNotContainKey("liveupdate.dev/cordoned-by");
            LiveUpdateNode l = client.resources(LiveUpdateNode.class).withName("kvm-" + i).get();
            assertThat(l.getSpec().getInstruction()).isNull();
            assertThat(l.getMetadata().getAnnotations()).containsKey("liveupdate.dev/outcome." + uid);
            assertThat(agents.reboots.get(uid + "/kvm-" + i)).isEqualTo(1);
        }
        assertThat(client.nodes().withName("db-0").get().getStatus().getNodeInfo().getKernelVersion())
                .isEqualTo("6.12.0-test");
        String metrics = http("/q/metrics");
        assertThat(metrics).contains("liveupdate_plan_nodes{phase=\"finished\",plan=\"it-full\"} 5.0")
                .contains("liveupdate_node_blackout_seconds_count{plan=\"it-full\"} 5")
                .contains("liveupdate_wave_duration_seconds_count{plan=\"it-full\"}");
        assertThat(http("/q/health/ready")).contains("\"status\": \"UP\"");
        await("events posted").atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace("default")
                .list().getItems().stream().anyMatch(e -> "it-full".equals(e.getInvolvedObject().getName())
                        && "WaveStarted".equals(e.getReason())));
    }

    @Test
    void aCanaryOverTheBlackoutBudgetHaltsThePlanUntilTheBudgetIsRaised() {
        LiveUpdate lu = plan("it-budget", "7.6.0-it", Map.of("pool", List.of("bb")), 2, 1);
        dev.liveupdate.api.v1alpha1.BlackoutBudget budget = new dev.liveupdate.api.v1alpha1.BlackoutBudget();
        budget.setMaxPerNode("5s");
        lu.getSpec().getStrategy().setBlackoutBudget(budget);
        client.resource(lu).create();

        LiveUpdate halted = awaitPhase("it-budget", PlanPhase.Halted);
        Condition ready = condition(halted, "Ready");
        assertThat(ready.getReason()).isEqualTo("BlackoutBudgetExceeded");
        assertThat(ready.getMessage()).contains("1 node(s) over maxPerNode 5s: bb-0 9.1s");
        assertThat(halted.getStatus().getBlackout().getWorstNodes()).singleElement()
                .satisfies(n -> assertThat(n.getNode()).isEqualTo("bb-0"))
                .satisfies(n -> assertThat(n.getMillis()).isEqualTo(9100L));
        assertThat(halted.getStatus().getNodeCounts().getFinished()).isEqualTo(1);
        for (String later : List.of("bb-1", "bb-2")) {
            LiveUpdateNode l = client.resources(LiveUpdateNode.class).withName(later).get();
            assertThat(l.getSpec().getInstruction()).as(later + " not started: halted before the next wave").isNull();
        }
        await("BlackoutBudgetExceeded event").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.v1().events().inAnyNamespace().list().getItems().stream().anyMatch(e ->
                        "it-budget".equals(e.getInvolvedObject().getName())
                                && "BlackoutBudgetExceeded".equals(e.getReason())
                                && e.getMessage().contains("bb-0 9.1s")));

        // The operator writes this plan's status meanwhile: retry a lost race (409).
        await("budget raised").atMost(Duration.ofSeconds(20))
                .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> client.resources(LiveUpdate.class).withName("it-budget").edit(p -> {
                    p.getSpec().getStrategy().getBlackoutBudget().setMaxPerNode("10s");
                    return p;
                }) != null);
        LiveUpdate done = awaitPhase("it-budget", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("3/3");
        assertThat(done.getStatus().getBlackout().getMeasuredNodes()).isEqualTo(3);
        assertThat(done.getStatus().getBlackout().getExceeded()).isNull();
    }

    @Test
    void deletingAPlanInFlightReleasesAndUncordonsEveryNode() {
        client.resource(plan("it-delete", "7.3.0-it", Map.of("pool", List.of("del")), 1, 0)).create();
        await("a node is rebooting").atMost(ROLLOUT).pollInterval(Duration.ofMillis(50)).until(() ->
                client.resources(LiveUpdateNode.class).list().getItems().stream().anyMatch(l ->
                        l.getMetadata().getName().startsWith("del-") && l.getSpec().getInstruction() != null
                                && l.getSpec().getInstruction().getStep() == NodeStep.Rebooted));
        LiveUpdateNode rebooting = client.resources(LiveUpdateNode.class).list().getItems().stream()
                .filter(l -> l.getMetadata().getName().startsWith("del-") && l.getSpec().getInstruction() != null
                        && l.getSpec().getInstruction().getStep() == NodeStep.Rebooted).findFirst().orElseThrow();
        assertThat(java.time.Instant.parse(rebooting.getSpec().getInstruction().getIssuedAt()))
                .as("issuedAt (kubectl's Since column)").isBefore(java.time.Instant.now().plusSeconds(5));
        String uid = get("it-delete").getMetadata().getUid();
        client.resources(LiveUpdate.class).withName("it-delete").delete();
        await("plan gone").atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).until(() -> get("it-delete") == null);
        for (int i = 0; i < 3; i++) {
            Node n = client.nodes().withName("del-" + i).get();
            assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
            assertThat(n.getMetadata().getAnnotations()).doesNotContainKey("liveupdate.dev/cordoned-by");
            LiveUpdateNode l = client.resources(LiveUpdateNode.class).withName("del-" + i).get();
            assertThat(l.getSpec().getInstruction()).isNull();
            assertThat(l.getMetadata().getAnnotations()).doesNotContainKey("liveupdate.dev/outcome." + uid);
            assertThat(ours("del-" + i)).as("the deletion waits until its lifecycle conditions are gone").isEmpty();
        }
    }

    @Test
    void aSecondPlanWaitsForNodesHeldByTheFirstAndSaysWhy() {
        LiveUpdate a = plan("it-stage", "7.4.0-it", Map.of("pool", List.of("cf")), 3, 0);
        a.getSpec().setTargetPhase(TargetPhase.Prepared); // holds its nodes at Prepared
        client.resource(a).create();
        awaitPhase("it-stage", PlanPhase.Succeeded);
        client.resource(plan("it-later", "7.4.1-it", Map.of("pool", List.of("cf")), 3, 0)).create();
        await("conflict reported").atMost(ROLLOUT).ignoreExceptions().until(() ->
                "True".equals(condition(get("it-later"), "Conflict").getStatus()));
        assertThat(condition(get("it-later"), "Conflict").getMessage()).contains("it-stage").contains("cf-0");
        // The operator writes this plan's status meanwhile: retry a lost race (409).
        await("cancel written").atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> client.resources(LiveUpdate.class).withName("it-stage").edit(p -> {
                    p.getSpec().setCancel(true);
                    return p;
                }) != null);
        awaitPhase("it-stage", PlanPhase.Cancelled);
        LiveUpdate later = awaitPhase("it-later", PlanPhase.Succeeded);
        assertThat(condition(later, "Conflict").getStatus()).isEqualTo("False");
        assertThat(later.getStatus().getProgress()).isEqualTo("3/3");
    }

    @Test
    void aNodeWaitsOnItsHealthGateUntilItsVmPodIsReadyAgain() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("hg-ns").endMetadata().build()).create();
        client.serviceAccounts().inNamespace("hg-ns").resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        client.pods().inNamespace("hg-ns").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("vm").withLabels(Map.of("kubevirt.io", "virt-launcher")).endMetadata()
                .withNewSpec().withNodeName("hg-0").withAutomountServiceAccountToken(false).addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build()).create();
        LiveUpdate lu = plan("it-gated", "7.5.0-it", Map.of("pool", List.of("hg")), 1, 0);
        dev.liveupdate.api.v1alpha1.PodHealthGate vms = new dev.liveupdate.api.v1alpha1.PodHealthGate();
        vms.setName("vms");
        vms.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("kubevirt.io", "virt-launcher").build());
        dev.liveupdate.api.v1alpha1.HealthGates gates = new dev.liveupdate.api.v1alpha1.HealthGates();
        gates.setPods(List.of(vms));
        gates.setTimeout("10m");
        lu.getSpec().setHealthGates(gates);
        client.resource(lu).create();

        // hg-0 (first by name) runs the new kernel, but its VM pod is not Ready: held cordoned, not finished.
        await("hg-0 waits on its health gate").atMost(ROLLOUT).ignoreExceptions().until(() ->
                get("it-gated").getStatus().getMessage().contains("hg-0 health gates: gate vms: pod hg-ns/vm"));
        LiveUpdateNode held = client.resources(LiveUpdateNode.class).withName("hg-0").get();
        assertThat(held.getSpec().getInstruction().getStep()).isEqualTo(dev.liveupdate.api.v1alpha1.NodeStep.Rebooted);
        assertThat(held.getStatus().getPhase()).isEqualTo(dev.liveupdate.api.v1alpha1.NodePhase.Updated);
        assertThat(client.nodes().withName("hg-0").get().getSpec().getUnschedulable()).isTrue();
        assertThat(client.resources(LiveUpdateNode.class).withName("hg-1").get().getSpec().getInstruction())
                .as("maxUnavailable 1: hg-1 waits for hg-0 to be done").isNull();

        client.pods().inNamespace("hg-ns").withName("vm").editStatus(p -> new io.fabric8.kubernetes.api.model
                .PodBuilder(p).editOrNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build());
        LiveUpdate done = awaitPhase("it-gated", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("2/2");
        assertThat(List.of("hg-0", "hg-1")).allSatisfy(n -> assertThat(client.nodes().withName(n).get().getSpec()
                .getUnschedulable()).isNotEqualTo(Boolean.TRUE));
    }

    @Test
    void aBlockerPodHoldsItsNodeBackUntilItIsGone() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("blk-ns").endMetadata().build()).create();
        // The default ServiceAccount may come from the controller-manager or not; make sure it is there.
        client.serviceAccounts().inNamespace("blk-ns").resource(new io.fabric8.kubernetes.api.model
                .ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        client.pods().inNamespace("blk-ns").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("backup").withLabels(Map.of("app", "backup")).endMetadata()
                .withNewSpec().withNodeName("blk-0").withAutomountServiceAccountToken(false).addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build()).create();
        LiveUpdate lu = plan("it-blocked", "7.5.0-it", Map.of("pool", List.of("blk")), 2, 0);
        dev.liveupdate.api.v1alpha1.Blocker b = new dev.liveupdate.api.v1alpha1.Blocker();
        b.setName("nightly-backup");
        b.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "backup").build());
        lu.getSpec().setBlockers(List.of(b));
        client.resource(lu).create();
        await("blk-1 done, blk-0 held back").atMost(ROLLOUT).ignoreExceptions().until(() ->
                get("it-blocked").getStatus().getNodeCounts().getFinished() == 1
                        && get("it-blocked").getStatus().getNodeCounts().getBlocked() == 1);
        assertThat(get("it-blocked").getStatus().getMessage()).contains("blk-0").contains("nightly-backup")
                .contains("blk-ns/backup");
        assertThat(client.resources(LiveUpdateNode.class).withName("blk-0").get().getSpec().getInstruction()).isNull();
        client.pods().inNamespace("blk-ns").withName("backup").withGracePeriod(0).delete();
        LiveUpdate done = awaitPhase("it-blocked", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("2/2");
    }

    @Test
    void lifecycleConditionsMarkEachNodeAndAnotherActorsDrainHoldsItsNodeBack() throws Exception {
        setCondition("mnt-0", "DrainInProgress", "True", "Decommission", "rack 7 leaves");
        java.util.Set<String> seenOnMnt1 = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (var watch = client.nodes().withName("mnt-1").watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Node n) {
                n.getStatus().getConditions().stream().filter(c -> c.getReason() != null
                        && c.getReason().startsWith("LiveUpdate"))
                        .forEach(c -> seenOnMnt1.add(c.getType() + "/" + c.getStatus() + "/" + c.getReason()));
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            client.resource(plan("it-lifecycle", "7.6.0-it", Map.of("pool", List.of("mnt")), 1, 0)).create();
            await("mnt-1 and mnt-2 done, mnt-0 held back").atMost(ROLLOUT).ignoreExceptions().until(() ->
                    get("it-lifecycle").getStatus().getNodeCounts().getFinished() == 2
                            && get("it-lifecycle").getStatus().getNodeCounts().getBlocked() == 1);
            assertThat(get("it-lifecycle").getStatus().getMessage())
                    .contains("mnt-0 (NodeInMaintenance: DrainInProgress (Decommission: rack 7 leaves))");
            assertThat(client.resources(LiveUpdateNode.class).withName("mnt-0").get().getSpec().getInstruction())
                    .isNull();
            await("our conditions cleared from the finished nodes").atMost(Duration.ofSeconds(30))
                    .until(() -> ours("mnt-1").isEmpty() && ours("mnt-2").isEmpty());
            assertThat(seenOnMnt1).as("planned while preparing, in progress from the cordon")
                    .contains("MaintenancePlanned/True/LiveUpdatePlanned",
                            "MaintenanceInProgress/True/LiveUpdateInProgress");
        }
        assertThat(ours("mnt-0")).as("a node held back is never marked").isEmpty();

        setCondition("mnt-0", "DrainInProgress", "False", "Decommission", "rack 7 stays");
        LiveUpdate done = awaitPhase("it-lifecycle", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("3/3");
        await("mnt-0's conditions cleared").atMost(Duration.ofSeconds(30)).until(() -> ours("mnt-0").isEmpty());
        assertThat(client.nodes().withName("mnt-0").get().getStatus().getConditions())
                .as("the other actor's condition is left as it was")
                .anyMatch(c -> "DrainInProgress".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Decommission".equals(c.getReason()));
    }

    /** Sets a Node condition as another actor would (a strategic-merge patch of nodes/status, merged by type). */
    private static void setCondition(String node, String type, String status, String reason, String message) {
        client.nodes().withName(node).subresource("status").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
                "{\"status\":{\"conditions\":[{\"type\":\"" + type + "\",\"status\":\"" + status
                        + "\",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}]}}");
    }

    /** The lifecycle conditions the operator set on a Node. */
    static List<String> ours(String node) {
        return client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getReason() != null && c.getReason().startsWith("LiveUpdate"))
                .map(c -> c.getType() + "/" + c.getStatus()).toList();
    }

    @Test
    void anOperatorKilledMidRolloutResumesFromTheClusterAndRebootsNoNodeTwice() throws Exception {
        client.resource(plan("it-restart", "7.6.0-it", Map.of("pool", List.of("rst")), 1, 0)).create();
        await("a node is rebooting").atMost(ROLLOUT).pollInterval(Duration.ofMillis(20)).until(() ->
                client.resources(LiveUpdateNode.class).list().getItems().stream().anyMatch(l ->
                        l.getMetadata().getName().startsWith("rst-") && l.getSpec().getInstruction() != null
                                && l.getSpec().getInstruction().getStep() == NodeStep.Rebooted));
        ProcessHandle.of(operator.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await("old operator gone").atMost(Duration.ofSeconds(20)).until(() -> !operator.isAlive());
        operator = startOperator(); // waits for the dead leader's Lease to expire, then resumes
        LiveUpdate done = awaitPhase("it-restart", PlanPhase.Succeeded);
        assertThat(done.getStatus().getProgress()).isEqualTo("4/4");
        String uid = done.getMetadata().getUid();
        for (int i = 0; i < 4; i++) {
            assertThat(agents.reboots.get(uid + "/rst-" + i)).as("reboots of rst-" + i).isEqualTo(1);
            assertThat(client.nodes().withName("rst-" + i).get().getSpec().getUnschedulable()).isNotEqualTo(true);
        }
    }

    /** GET from the operator's HTTP port (random; read from its log). */
    static String http(String path) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Listening on: http://[0-9.]+:(\\d+)")
                    .matcher(java.nio.file.Files.readString(operator.log()));
            String port = null;
            while (m.find()) {
                port = m.group(1);
            }
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                    .build();
            return java.net.http.HttpClient.newHttpClient().send(req,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ready(Node n) {
        return n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                && "True".equals(c.getStatus()));
    }
}
