package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.ManagedProcess;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator started outside the chart, with exactly the chart's RBAC (its ServiceAccount's token; the Role for agent
 * upgrades is in the release namespace only) and without {@code liveupdate.operator.agent-namespace}: with no agent
 * DaemonSet configured it starts and reconciles plans without watching any DaemonSet; with one configured where it may
 * not look, it stops at once with a message naming the setting to fix, not a bare 403 from an informer.
 */
class AgentRolloutStartIT {
    private static final Duration WITHIN = Duration.ofSeconds(90);
    static final String NS = "liveupdate-system";
    static TestCluster cluster;
    static Path kubeconfig;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().start();
        List<HasMetadata> installed = new ChartInstaller(cluster).install("lu", NS, Map.of());
        String token = OperatorToken.of(cluster, installed, NS);
        kubeconfig = cluster.kubeconfigForToken("operator", token);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static ManagedProcess operator(String name, List<String> settings) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("liveupdate.operator.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-Dkubeconfig=" + kubeconfig,
                "-Dquarkus.http.port=0", "-Dliveupdate.leader-election.enabled=false"));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar));
        return ManagedProcess.start(name, command, Path.of("target/it/operator-" + name + ".log"));
    }

    static String log(ManagedProcess p) throws java.io.IOException {
        return Files.exists(p.log()) ? Files.readString(p.log()) : "";
    }

    @Test
    void withoutAnAgentDaemonSetTheOperatorRunsAndWatchesNoDaemonSet() throws Exception {
        try (ManagedProcess op = operator("no-agent-daemonset", List.of())) {
            LiveUpdate plan = OperatorIT.plan("nothing-selected", "7.4.0-it", Map.of("pool", List.of("none")), 1, 0);
            plan.getSpec().getKernel().setSha256("0".repeat(64)); // the chart's kernel policy requires one
            cluster.client().resource(plan).create();
            await("the operator reconciles a plan").atMost(WITHIN).ignoreExceptions().until(() -> {
                assertThat(op.deathNotice()).isEmpty();
                LiveUpdate lu = cluster.client().resources(LiveUpdate.class).withName("nothing-selected").get();
                return lu.getStatus() != null && lu.getStatus().getPhase() != null;
            });
            assertThat(op.isAlive()).as("operator alive").isTrue();
            String log = log(op);
            assertThat(log).contains("agent upgrades: off: no agent DaemonSet configured"
                    + " (liveupdate.operator.agent-daemon-set); the agent-rollout controller is not started");
            assertThat(log).doesNotContainIgnoringCase("forbidden").doesNotContain("daemonsets");
        }
    }

    @Test
    void anAgentDaemonSetWhereTheOperatorMayNotLookStopsItWithTheSettingToFix() throws Exception {
        try (ManagedProcess op = operator("agent-daemonset-elsewhere", List.of("-Dliveupdate.operator.agent-daemon-set=lu-agent"))) {
            await("the operator stops").atMost(WITHIN).until(() -> !op.isAlive());
            assertThat(log(op)).contains("liveupdate.operator.agent-daemon-set=lu-agent is looked for in namespace default"
                    + " (liveupdate.operator.agent-namespace), but this operator may not [list apps/daemonsets")
                    .contains("Set liveupdate.operator.agent-namespace to the namespace the agent DaemonSet");
        }
    }
}
