package dev.liveupdate.kubectl;

import static dev.liveupdate.kubectl.Fixtures.condition;
import static dev.liveupdate.kubectl.Fixtures.counts;
import static dev.liveupdate.kubectl.Fixtures.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liveupdate.api.v1alpha1.AbiGeneration;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.testcluster.SharedTestCluster;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The plugin's commands in-process against a real kube-apiserver (the repository's CRDs, their validation and status
 * subresources), connecting through --kubeconfig like the executable; the plans and nodes carry the status the
 * operator and agents would have written.
 */
class KubectlPluginIT {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final TestCluster cluster = SharedTestCluster.get();
    private final KubernetesClient admin = cluster.client();

    /** One run of kubectl liveupdate as cluster-admin: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
    }

    private Run run(String input, String... args) {
        return run(new StringWriter(), input, args);
    }

    private Run run(StringWriter out, String input, String... args) {
        PluginRun r = PluginRun.run(cluster.kubeconfig(), out, input, args);
        return new Run(r.code(), r.out(), r.err());
    }

    private static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    private LiveUpdate createPlan(String name) {
        LiveUpdate lu = Fixtures.plan(name, null);
        lu.getMetadata().setGeneration(null);
        return admin.resources(LiveUpdate.class).resource(lu).create();
    }

    private LiveUpdate planStatus(LiveUpdate lu, PlanPhase phase, UnaryOperator<LiveUpdateStatus> more) {
        LiveUpdate current = admin.resources(LiveUpdate.class).withName(lu.getMetadata().getName()).get();
        current.setStatus(more.apply(Fixtures.status(current, phase)));
        return admin.resources(LiveUpdate.class).resource(current).updateStatus();
    }

    /** Creates the LiveUpdateNode with its spec and annotations, then writes its status as the agent would. */
    private LiveUpdateNode createNode(LiveUpdateNode lun) {
        var status = lun.getStatus();
        lun.setStatus(null);
        LiveUpdateNode created = admin.resources(LiveUpdateNode.class).resource(lun).create();
        created.setStatus(status);
        return admin.resources(LiveUpdateNode.class).resource(created).updateStatus();
    }

    @Test
    void statusShowsWavesNodesFailuresAndHoldsAndExits1WhenHalted() throws Exception {
        LiveUpdate lu = createPlan(unique("halted"));
        String n1 = unique("st-node");
        String n2 = unique("st-node");
        createNode(Fixtures.blackout(Fixtures.outcome(Fixtures.reports(Fixtures.node(n1), lu, NodePhase.Finished, null, null),
                lu, "Finished", null, 1, 3120L), 3120));
        createNode(Fixtures.reports(Fixtures.held(Fixtures.node(n2), lu, NodeStep.Prepared, 2), lu, NodePhase.Failed,
                "ImageChecksumMismatch", "sha256 of /boot/vmlinuz-7.2.0-1-amd64 differs"));
        planStatus(lu, PlanPhase.Halted, st -> {
            st.setProgress("1/2");
            st.setCurrentWave(2);
            st.setNodeCounts(counts(2, 1, 1, 0));
            st.setMessage("1/2 nodes at Finished, 1 failed; halted: more than maxFailures=0 failed (raise it to continue, or cancel)");
            st.getConditions().add(condition("Stalled", "True", "Halted", st.getMessage()));
            st.setFailedNodes(List.of(failed(n2, "ImageChecksumMismatch", "sha256 of /boot/vmlinuz-7.2.0-1-amd64 differs", "Prepared")));
            return st;
        });

        Run table = run("", "status", lu.getMetadata().getName());

        assertThat(table.code()).as(table.err()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(table.out()).contains("Phase      Halted   target Finished   kernel 7.2.0-1-amd64")
                .contains("Stalled/Halted: 1/2 nodes at Finished, 1 failed; halted: more than maxFailures=0")
                .contains(n2 + "  ImageChecksumMismatch (before its reboot)")
                .containsPattern("\n  1 +" + n1 + " +- +Finished +- +3\\.12s")
                .containsPattern("\n  2 +" + n2 + " +Prepared +Failed +ImageChecksumMismatch");

        Run json = run("", "status", lu.getMetadata().getName(), "-o", "json");
        assertThat(json.code()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        JsonNode o = new ObjectMapper().readTree(json.out());
        assertThat(o.path("uid").asText()).isEqualTo(admin.resources(LiveUpdate.class).withName(lu.getMetadata().getName()).get().getMetadata().getUid());
        assertThat(o.path("phase").asText()).isEqualTo("Halted");
        assertThat(o.path("nodes")).hasSize(2);
        assertThat(o.path("nodes").get(1).path("reason").asText()).isEqualTo("ImageChecksumMismatch");
        assertThat(o.path("nodes").get(1).path("wave").asInt()).isEqualTo(2);
    }

    @Test
    void statusOfAProgressingPlanExits0AndAMissingPlan3() {
        LiveUpdate lu = createPlan(unique("moving"));
        planStatus(lu, PlanPhase.Progressing, st -> {
            st.getConditions().add(condition("Progressing", "True", "Progressing", "node-x to reboot (budget maxUnavailable 1)"));
            return st;
        });
        Run ok = run("", "status", lu.getMetadata().getName());
        assertThat(ok.code()).as(ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("WaitingFor: node-x to reboot (budget maxUnavailable 1)");

        Run missing = run("", "status", "no-such-plan");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("error: LiveUpdate no-such-plan not found");
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void pauseResumeAndCancelWriteTheSpecFields() {
        String name = createPlan(unique("steer")).getMetadata().getName();
        var plans = admin.resources(LiveUpdate.class);

        assertThat(run("", "pause", name).code()).isEqualTo(ExitCodes.OK);
        assertThat(plans.withName(name).get().getSpec().getPaused()).isTrue();
        assertThat(run("", "pause", name).out()).contains("already paused");

        assertThat(run("", "resume", name).code()).isEqualTo(ExitCodes.OK);
        assertThat(plans.withName(name).get().getSpec().getPaused()).isFalse();

        Run declined = run("n\n", "cancel", name);
        assertThat(declined.code()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(declined.err()).contains("cannot be undone").contains("error: not cancelled");
        assertThat(plans.withName(name).get().getSpec().getCancel()).isNotEqualTo(Boolean.TRUE);

        Run confirmed = run("y\n", "cancel", name);
        assertThat(confirmed.code()).as(confirmed.err()).isEqualTo(ExitCodes.OK);
        assertThat(plans.withName(name).get().getSpec().getCancel()).isTrue();
        // The API forbids undoing cancel; the plugin says so before trying.
        Run resume = run("", "resume", name);
        assertThat(resume.code()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(resume.err()).contains("is cancelled and cannot be resumed: delete it and create a new one");

        assertThat(run("", "pause", "no-such-plan").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("", "cancel", "--yes", "no-such-plan").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void releaseWritesTheHeldPlansUidAfterAConfirmation() {
        LiveUpdate lu = createPlan(unique("held"));
        String uid = lu.getMetadata().getUid();
        String node = unique("rel-node");
        LiveUpdateNode lun = Fixtures.reports(Fixtures.held(Fixtures.node(node), lu, NodeStep.Finished, 1), lu,
                NodePhase.Failed, "RestoreTimeout", "restore timed out");
        SessionStatus s = new SessionStatus();
        s.setName("vm-memory");
        s.setPreservedTokens(List.of(4L, 5L));
        s.setRestoredTokens(List.of(5L));
        lun.getStatus().setSessions(List.of(s));
        createNode(Fixtures.restoreHeld(lun, lu.getMetadata().getName(), uid, "RestoreTimeout"));
        var nodes = admin.resources(LiveUpdateNode.class);

        Run declined = run("\n", "release", node);
        assertThat(declined.code()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(declined.err()).contains("the kernel discards the files no workload took back (vm-memory: token 4)");
        assertThat(nodes.withName(node).get().getMetadata().getAnnotations()).doesNotContainKey(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION);

        Run released = run("yes\n", "release", node);
        assertThat(released.code()).as(released.err()).isEqualTo(ExitCodes.OK);
        assertThat(nodes.withName(node).get().getMetadata().getAnnotations())
                .containsEntry(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION, uid);
        assertThat(run("", "release", node).out()).contains("release already requested for plan uid " + uid);
    }

    @Test
    void releaseRefusesANodeWithNothingHeldAndAnUnknownNode() {
        String node = unique("idle-node");
        LiveUpdateNode lun = Fixtures.node(node);
        lun.getStatus().setPhase(NodePhase.Idle);
        createNode(lun);

        Run refused = run("", "release", "--yes", node);
        assertThat(refused.code()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(refused.err()).contains("node " + node + " holds no failed restore").contains("nothing to release");
        assertThat(admin.resources(LiveUpdateNode.class).withName(node).get().getMetadata().getAnnotations())
                .doesNotContainKey(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION);

        Run missing = run("", "release", "--yes", "no-such-node");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("LiveUpdateNode no-such-node not found");
    }

    @Test
    void nodesListsTheInventory() throws Exception {
        String a = unique("inv-a");
        String c = unique("inv-c");
        createNode(NodesRendererTest.lastUpdate(NodesRendererTest.inventory(Fixtures.node(a), true, AbiGeneration.A, "7.1.0-3-amd64", null),
                UpdateResult.Finished, null, 1450L));
        createNode(NodesRendererTest.inventory(Fixtures.node(c), false, AbiGeneration.None, "6.12.0", "no /dev/liveupdate"));

        Run table = run("", "nodes");
        assertThat(table.code()).as(table.err()).isEqualTo(ExitCodes.OK);
        assertThat(table.out()).containsPattern(a + " +yes +A +Normal +7\\.1\\.0-3-amd64 +0\\.1\\.0 +Idle +- +Finished \\(kernel-7-2\\) +1\\.45s")
                .containsPattern(c + " +no +None +- +6\\.12\\.0 .*no /dev/liveupdate");

        JsonNode json = new ObjectMapper().readTree(run("", "-o", "json", "nodes").out());
        assertThat(json.findValuesAsText("node")).contains(a, c);
    }

    @Test
    void watchRedrawsOnChangesAndEndsWhenThePlanSucceeds() throws Exception {
        LiveUpdate lu = createPlan(unique("watched"));
        planStatus(lu, PlanPhase.Progressing, st -> {
            st.setProgress("0/1");
            return st;
        });
        StringWriter out = new StringWriter();
        CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> run(out, "", "watch", lu.getMetadata().getName(), "--timeout", "3m"));

        await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("Progressing"));
        assertThat(watch).isNotDone();
        planStatus(lu, PlanPhase.Succeeded, st -> {
            st.setProgress("1/1");
            return st;
        });

        Run done = watch.get(60, TimeUnit.SECONDS);
        assertThat(done.code()).as(done.err()).isEqualTo(ExitCodes.OK);
        assertThat(done.out()).containsSubsequence("Phase      Progressing", "Progress   0/1", "Phase      Succeeded", "Progress   1/1");
    }

    @Test
    void watchEndsWith1OnAFailedPlanAnd5AtItsTimeout() {
        LiveUpdate failedPlan = createPlan(unique("failed"));
        planStatus(failedPlan, PlanPhase.Failed, st -> st);
        Run failed = run("", "watch", failedPlan.getMetadata().getName(), "-o", "json");
        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCodes.PLAN_NOT_OK);
        assertThat(failed.out().strip()).startsWith("{\"plan\":\"" + failedPlan.getMetadata().getName() + "\"").doesNotContain("\n");

        LiveUpdate stuck = createPlan(unique("stuck"));
        planStatus(stuck, PlanPhase.Progressing, st -> st);
        Run timedOut = run("", "watch", stuck.getMetadata().getName(), "--timeout", "1s");
        assertThat(timedOut.code()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(timedOut.err()).contains("timed out after 1s; LiveUpdate " + stuck.getMetadata().getName() + " is Progressing");

        assertThat(run("", "watch", "no-such-plan").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anUnreachableApiServerIsExitCode4WithAClearMessage() throws Exception {
        Path kubeconfig = Files.createTempFile("unreachable", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster:
                    server: https://127.0.0.1:1
                    insecure-skip-tls-verify: true
                contexts:
                - name: gone
                  context:
                    cluster: gone
                    user: nobody
                current-context: gone
                users:
                - name: nobody
                  user:
                    token: x
                """);
        StringWriter err = new StringWriter();
        CommandLine cmd = LiveUpdateCommand.commandLine(ClientFactory.KUBECONFIG, Terminal.PLAIN, new BufferedReader(new StringReader("")));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("--kubeconfig", kubeconfig.toString(), "status", "any")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(err.toString()).startsWith("error: cannot reach the API server https://127.0.0.1:1/ (check --kubeconfig, --context and the cluster): "
                + "connection refused or host unreachable");
        Files.delete(kubeconfig);

        // kubectl refuses a context the kubeconfig does not have; Fabric8 alone would fall back to in-cluster defaults.
        Run unknownContext = run("", "--context", "no-such-context", "nodes");
        assertThat(unknownContext.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownContext.err()).contains("error: context no-such-context not found in " + cluster.kubeconfig());
    }
}
