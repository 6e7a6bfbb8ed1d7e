package dev.liveupdate.e2e.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.CheckPod;
import dev.liveupdate.api.v1alpha1.HealthGates;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.PodHealthGate;
import dev.liveupdate.api.v1alpha1.TargetPhase;
import dev.liveupdate.sandbox.realnode.RealNodeFleet;
import dev.liveupdate.testcluster.RepoLayout;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The way a platform team runs the product: the project's images imported into containerd on a real kubelet node,
 * the chart installed with the real helm binary, the operator Deployment and the agent DaemonSet as pods. The agent
 * uses the simulated kernel (the only thing not real: there is no LUO kernel under this kubelet), so its simulated
 * kexec ends the agent container and the kubelet restarts it, the DaemonSet path a real kexec takes. The tests run
 * in order on one node: install, a rollout with a workload pod's bytes verified, helm upgrade while a plan holds the
 * node Prepared (the agent holding the sessions stays until the node is idle), helm uninstall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartOnRealNodeIT {
    private static final String NAMESPACE = RealNodeFleet.NAMESPACE;
    private static final String NODE = RealNodeFleet.NODE;
    private static final Duration STEP = Duration.ofMinutes(4);
    private static final String CHECKS = "liveupdate-checks";
    private static final Pattern PRESERVED_SHA = Pattern.compile("PRESERVED .* sha256=([0-9a-f]{64})");

    private RealNodeFleet fleet;
    private KubernetesClient client;

    @BeforeAll
    void startNode() {
        fleet = RealNodeFleet.start(RepoLayout.locate().root(), null, line -> System.out.println("real-node: " + line));
        client = fleet.client();
    }

    @AfterAll
    void stopNode() {
        if (fleet != null) {
            fleet.close();
            assertThat(fleet.leftovers()).as("what the real node left on the host").isEmpty();
        }
    }

    @Test
    @Order(1)
    void helmInstallRunsTheOperatorAndTheAgentAsPods() {
        fleet.installChart(Map.of("operator.healthChecks.namespace", CHECKS));

        Deployment operator = client.apps().deployments().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(d -> d.getMetadata().getName().endsWith("operator")).findFirst().orElseThrow();
        assertThat(operator.getStatus().getAvailableReplicas()).as("operator Deployment available").isEqualTo(1);
        // helm --wait counts a DaemonSet ready within its maxUnavailable (10% of one node rounds up to one): await it.
        DaemonSet agent = await("agent DaemonSet ready on the node").atMost(STEP).pollInterval(Duration.ofMillis(500))
                .until(this::agentDaemonSet, d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getNumberReady()));
        assertThat(agent.getStatus().getNumberReady()).isEqualTo(1);
        assertThat(agentPod().getStatus().getContainerStatuses().get(0).getImage())
                .as("the project's agent image, imported, never pulled").isEqualTo(fleet.images().reference("node-agent"));

        // The agent in the pod found its node through the downward API, authenticated with its projected token and
        // reports the simulated kernel as capable.
        LiveUpdateNode lun = await("the agent pod's LiveUpdateNode reports capable").atMost(STEP)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.resources(LiveUpdateNode.class).withName(NODE).get(),
                        l -> l != null && l.getStatus() != null && l.getStatus().getInventory() != null
                                && Boolean.TRUE.equals(l.getStatus().getInventory().getCapable()));
        assertThat(lun.getStatus().getInventory().getKernelRelease()).isNotBlank();
    }

    /**
     * The chart installs its seccomp profile before the agent starts, the agent's JVM runs under it, and on this
     * runtime it refuses kexec_load (and unshare) while it lets kexec_file_load and reboot through to the kernel; the
     * same probe unconfined shows the refusals come from the profile.
     */
    @Test
    @Order(2)
    void theAgentRunsUnderTheChartsSeccompProfile() throws Exception {
        Path installed = fleet.node().kubeletRootDir().resolve("seccomp").resolve(RealNodeFleet.SECCOMP_PROFILE);
        assertThat(installed).as("installed by the agent pod's init container").isRegularFile();
        assertThat(Files.readString(installed)).isEqualTo(
                Files.readString(RepoLayout.locate().chartDir().resolve("files/agent-seccomp.json")));
        Pod agent = agentPod();
        assertThat(agent.getStatus().getInitContainerStatuses()).singleElement().satisfies(s ->
                assertThat(s.getState().getTerminated().getExitCode()).isZero());
        assertThat(AgentProcess.seccompMode(agent.getMetadata().getUid())).as("Seccomp: line of the agent JVM's /proc status")
                .isEqualTo(2);

        String image = fleet.images().reference("node-agent");
        Map<String, Integer> confined = probe("seccomp-probe", SeccompProbe.localhost(RealNodeFleet.SECCOMP_PROFILE), image);
        Map<String, Integer> unconfined = probe("seccomp-probe-unconfined", SeccompProbe.unconfined(), image);
        int eperm = 1;
        assertThat(confined).containsEntry("kexec_load", eperm).containsEntry("unshare", eperm);
        assertThat(confined.get("kexec_file_load")).as("kexec_file_load reaches the kernel").isNotEqualTo(eperm);
        assertThat(confined.get("reboot")).as("reboot reaches the kernel (bad magic: EINVAL)").isEqualTo(22);
        assertThat(unconfined.get("kexec_load")).as("without the profile kexec_load is not refused with EPERM").isNotEqualTo(eperm);
        assertThat(unconfined.get("unshare")).isZero();
    }

    private Map<String, Integer> probe(String name, io.fabric8.kubernetes.api.model.SeccompProfile profile, String image) {
        client.pods().inNamespace("default").resource(SeccompProbe.pod(name, image, profile)).create();
        Pod done = awaitPodFinished(name);
        String log = client.pods().inNamespace("default").withName(name).getLog();
        assertThat(done.getStatus().getPhase()).as(name + " log: " + log).isEqualTo("Succeeded");
        assertThat(log).contains("PROBE DONE");
        client.pods().inNamespace("default").withName(name).withGracePeriod(0).delete();
        return SeccompProbe.errnos(log);
    }

    @Test
    @Order(3)
    void aRolloutThroughPodsGivesTheWorkloadItsBytesBack() {
        int agentRestartsBefore = agentRestarts();
        Pod workload = fleet.startWorkload("vm-1", 1);
        String sha = awaitPreserved(workload.getMetadata().getName());

        // Health gates: the workload pod Ready (or done) again on the node, and a check pod that really runs there as a
        // Job of the chart's restricted check namespace, on the cordoned node, and exits 0.
        LiveUpdate plan = fleet.plan("to-7-2", RealNodeFleet.KERNEL_RELEASE, TargetPhase.Finished);
        PodHealthGate workloads = new PodHealthGate();
        workloads.setName("workloads");
        workloads.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "sample-workload").build());
        CheckPod check = new CheckPod();
        check.setImage(fleet.images().reference("sample-workload"));
        check.setCommand(List.of("/bin/sh", "-c", "test \"$(id -u)\" = 65532 && echo CHECKED-ON-NEW-KERNEL"));
        HealthGates gates = new HealthGates();
        gates.setPods(List.of(workloads));
        gates.setCheckPod(check);
        gates.setTimeout("3m");
        plan.getSpec().setHealthGates(gates);
        fleet.applyPlan(plan);
        awaitPlan("to-7-2", PlanPhase.Succeeded);

        List<Job> checks = client.batch().v1().jobs().inNamespace(CHECKS).list().getItems();
        assertThat(checks).singleElement().satisfies(j -> {
            assertThat(j.getStatus().getSucceeded()).as("the check pod exited 0").isEqualTo(1);
            assertThat(j.getMetadata().getAnnotations()).containsEntry("liveupdate.dev/check-node", NODE);
        });
        Pod checkPod = client.pods().inNamespace(CHECKS).list().getItems().stream().findFirst().orElseThrow();
        assertThat(checkPod.getSpec().getNodeName()).isEqualTo(NODE);
        assertThat(client.pods().inNamespace(CHECKS).withName(checkPod.getMetadata().getName()).getLog())
                .as("ran as the restricted non-root user").contains("CHECKED-ON-NEW-KERNEL");

        Pod done = awaitPodFinished(workload.getMetadata().getName());
        assertThat(done.getStatus().getPhase()).as("the workload exits 0 only when its bytes came back").isEqualTo("Succeeded");
        assertThat(podLog(workload.getMetadata().getName())).contains("VERIFIED " + sha);
        assertThat(agentRestarts()).as("the simulated kexec ended the agent container; the kubelet restarted it")
                .isGreaterThan(agentRestartsBefore);
        LiveUpdateNode lun = client.resources(LiveUpdateNode.class).withName(NODE).get();
        assertThat(lun.getStatus().getInventory().getKernelRelease()).isEqualTo(RealNodeFleet.KERNEL_RELEASE);
        assertThat(client.nodes().withName(NODE).get().getSpec().getUnschedulable()).as("uncordoned afterwards")
                .isNotEqualTo(Boolean.TRUE);
    }

    @Test
    @Order(4)
    void helmUpgradeWhileTheNodeIsPreparedKeepsItsSessionsAndReplacesTheAgentOnceTheNodeIsIdle() {
        Pod workload = fleet.startWorkload("vm-2", 2);
        String sha = awaitPreserved(workload.getMetadata().getName());
        fleet.applyPlan(fleet.plan("to-7-3", RealNodeFleet.NEXT_KERNEL_RELEASE, TargetPhase.Prepared));
        await("node Prepared for to-7-3").atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.resources(LiveUpdateNode.class).withName(NODE).get().getStatus().getPhase() == NodePhase.Prepared);
        Pod oldAgent = agentPod();

        // A new agent image while the node holds prepared sessions. The DaemonSet (OnDelete) gets the new template;
        // the operator leaves the agent that holds the sessions alone and says why.
        String upgraded = fleet.images().reference("node-agent") + "-upgrade";
        fleet.node().tagImage(fleet.images().reference("node-agent"), upgraded);
        fleet.upgradeChart(Map.of("agent.image.tag", upgraded.substring(upgraded.lastIndexOf(':') + 1)));
        assertThat(fullReference(agentDaemonSet().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
                .isEqualTo(upgraded);
        await("the operator explains why the Prepared node keeps its agent").atMost(STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                        .anyMatch(e -> "AgentUpdateWaiting".equals(e.getReason())
                                && oldAgent.getMetadata().getName().equals(e.getInvolvedObject().getName())));
        assertThat(agentPod().getMetadata().getUid()).as("the agent holding the sessions still runs")
                .isEqualTo(oldAgent.getMetadata().getUid());
        assertThat(client.resources(LiveUpdateNode.class).withName(NODE).get().getStatus().getPhase()).isEqualTo(NodePhase.Prepared);

        // On to Finished: the prepared sessions are intact, so the node updates and the workload gets its bytes back.
        LiveUpdate plan = client.resources(LiveUpdate.class).withName("to-7-3").get();
        plan.getSpec().setTargetPhase(TargetPhase.Finished);
        client.resources(LiveUpdate.class).resource(plan).update();
        LiveUpdate ended = awaitPlanEnds("to-7-3");
        assertThat(ended.getStatus().getPhase()).as("plan message: " + ended.getStatus().getMessage()).isEqualTo(PlanPhase.Succeeded);
        assertThat(client.resources(LiveUpdateNode.class).withName(NODE).get().getStatus().getInventory().getKernelRelease())
                .isEqualTo(RealNodeFleet.NEXT_KERNEL_RELEASE);
        Pod done = awaitPodFinished(workload.getMetadata().getName());
        assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(podLog(workload.getMetadata().getName())).contains("VERIFIED " + sha);

        // Idle again: now the operator replaces the agent, and the new one comes up with the new image.
        Pod newAgent = await("the upgraded agent pod Ready").atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(this::agentPod, p -> !p.getMetadata().getUid().equals(oldAgent.getMetadata().getUid())
                        && upgraded.equals(fullReference(p.getSpec().getContainers().get(0).getImage()))
                        && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
        assertThat(newAgent.getSpec().getNodeName()).isEqualTo(NODE);
        assertThat(client.nodes().withName(NODE).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    @Order(5)
    void helmUninstallLeavesNothingCordonedAndKeepsTheCrds() {
        fleet.uninstallChart();
        await("the release's pods are gone").atMost(STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty());
        assertThat(client.nodes().withName(NODE).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("liveupdates.liveupdate.dev").get())
                .as("CRDs stay, as Helm keeps the crds/ directory's objects").isNotNull();
    }

    // ------------------------------------------------------------------ helpers

    /** The chart renders liveupdate/...; containerd names it docker.io/liveupdate/... (the default registry). */
    private static String fullReference(String image) {
        return image.contains("/") && image.substring(0, image.indexOf('/')).contains(".") ? image : "docker.io/" + image;
    }

    private DaemonSet agentDaemonSet() {
        return client.apps().daemonSets().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(d -> d.getMetadata().getName().endsWith("agent")).findFirst().orElseThrow();
    }

    private Pod agentPod() {
        return client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/component", "agent").list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    }

    private int agentRestarts() {
        return agentPod().getStatus().getContainerStatuses().stream().mapToInt(s -> s.getRestartCount()).sum();
    }

    private String awaitPreserved(String pod) {
        String log = await(pod + " preserved its memfd").atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> podLog(pod), l -> PRESERVED_SHA.matcher(l).find());
        Matcher m = PRESERVED_SHA.matcher(log);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String podLog(String pod) {
        return fleet.workloadLog(pod);
    }

    private Pod awaitPodFinished(String pod) {
        return await(pod + " finished").atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.pods().inNamespace("default").withName(pod).get(),
                        p -> "Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()));
    }

    private void awaitPlan(String name, PlanPhase phase) {
        await("plan " + name + " " + phase).atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.resources(LiveUpdate.class).withName(name).get().getStatus().getPhase(), p -> p == phase);
    }

    private LiveUpdate awaitPlanEnds(String name) {
        return await("plan " + name + " ends").atMost(STEP).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.resources(LiveUpdate.class).withName(name).get(),
                        p -> p.getStatus().getPhase() == PlanPhase.Succeeded || p.getStatus().getPhase() == PlanPhase.Failed
                                || p.getStatus().getPhase() == PlanPhase.Halted);
    }
}
