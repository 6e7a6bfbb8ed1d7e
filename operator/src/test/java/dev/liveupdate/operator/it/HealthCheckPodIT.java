package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.CheckPod;
import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.operator.k8s.CheckPodJob;
import dev.liveupdate.operator.planning.HealthProbe.CheckPodResult;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health gates' check pods against a real kube-apiserver with the chart installed (operator.healthChecks.namespace):
 * the operator's own token creates the check Job in that namespace and nowhere else, the pod it would run passes Pod
 * Security "restricted" (enforced on the namespace, which refuses a privileged pod), and the Job's status maps to
 * passed, failed (with the reason and how to read the logs) or waiting.
 */
class HealthCheckPodIT {
    static final String NS = "liveupdate-system";
    static final String CHECKS = "lu-checks";
    static final String IMAGE = "registry.example/checks/kvm:1";
    static TestCluster cluster;
    static KubernetesClient admin;
    static KubernetesClient operator;
    static LiveUpdate plan;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().start();
        admin = cluster.client();
        List<HasMetadata> installed = new ChartInstaller(cluster).install("lu", NS,
                Map.of("operator.healthChecks.namespace", CHECKS));
        String token = OperatorToken.of(cluster, installed, NS);
        operator = cluster.clientForToken(token);
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName("gated").build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelector());
        KernelSpec k = new KernelSpec();
        k.setRelease("7.2.0-it");
        k.setImage("/boot/vmlinuz-7.2.0-it");
        k.setSha256("0".repeat(64)); // the chart's kernel policy requires checksums
        spec.setKernel(k);
        lu.setSpec(spec);
        plan = admin.resource(lu).create();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static CheckPodJob check(Optional<String> namespace, List<String> allowed) {
        CheckPod c = new CheckPod();
        c.setImage(IMAGE);
        c.setCommand(List.of("/check"));
        c.setArgs(List.of("--kvm"));
        return new CheckPodJob(operator, plan, c, Duration.ofMinutes(10), namespace, allowed);
    }

    @Test
    void theOperatorStartsARestrictedJobBoundToTheNodeThatThePlanOwns() {
        CheckPodResult first = check(Optional.of(CHECKS), List.of()).run("n1");
        assertThat(first.state()).isEqualTo(CheckPodResult.State.WAITING);
        assertThat(first.text()).contains("started on the node");
        String name = first.text().replaceAll(".*" + CHECKS + "/(\\S+).*", "$1");
        Job job = admin.batch().v1().jobs().inNamespace(CHECKS).withName(name).get();
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeName()).isEqualTo("n1");
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo(IMAGE);
        assertThat(pod.getContainers().get(0).getCommand()).containsExactly("/check");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(600L);
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(plan.getMetadata().getUid()));

        // The pod it runs is admitted under the namespace's enforced "restricted" profile (server-side dry run) ...
        Pod fromTemplate = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName("probe").build())
                .withSpec(pod).build();
        admin.pods().inNamespace(CHECKS).resource(fromTemplate).dryRun().create();
        // ... which refuses what a plan must never get there.
        Pod privileged = new PodBuilder(fromTemplate).editSpec().editFirstContainer().editSecurityContext()
                .withPrivileged(true).withAllowPrivilegeEscalation(true).endSecurityContext().endContainer().endSpec()
                .build();
        assertThatThrownBy(() -> admin.pods().inNamespace(CHECKS).resource(privileged).dryRun().create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("violates PodSecurity \"restricted"));

        // A second pass finds the same Job instead of starting another.
        assertThat(check(Optional.of(CHECKS), List.of()).run("n1").text()).contains(name).contains("has not completed");
        assertThat(admin.batch().v1().jobs().inNamespace(CHECKS).list().getItems())
                .filteredOn(j -> "n1".equals(j.getMetadata().getAnnotations().get("liveupdate.dev/check-node")))
                .hasSize(1);

        // Its status decides: succeeded passes.
        admin.batch().v1().jobs().inNamespace(CHECKS).withName(name).editStatus(j -> new JobBuilder(j).editOrNewStatus()
                .withSucceeded(1).endStatus().build());
        assertThat(check(Optional.of(CHECKS), List.of()).run("n1")).isEqualTo(CheckPodResult.PASSED);
    }

    @Test
    void aFailedJobFailsWithItsReasonAndWhereToReadTheLogs() {
        CheckPodJob check = check(Optional.of(CHECKS), List.of("registry.example/checks/"));
        String name = check.run("n2").text().replaceAll(".*" + CHECKS + "/(\\S+).*", "$1");
        admin.batch().v1().jobs().inNamespace(CHECKS).withName(name).editStatus(j -> new JobBuilder(j).editOrNewStatus()
                .withStartTime("2026-12-07T21:00:00Z").withFailed(1)
                .addNewCondition().withType("FailureTarget").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").endCondition()
                .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").endCondition()
                .endStatus().build()); // as the Job controller writes it (the API server checks the sequence)
        CheckPodResult r = check.run("n2");
        assertThat(r.state()).isEqualTo(CheckPodResult.State.FAILED);
        assertThat(r.text()).contains("BackoffLimitExceeded").contains("kubectl -n lu-checks logs job/" + name);
    }

    @Test
    void withoutTheNamespaceOrWithAnImageNotAllowedNothingIsStartedAndTheGateSaysWhy() {
        assertThat(check(Optional.empty(), List.of()).run("n3").text())
                .contains("operator.healthChecks.namespace");
        CheckPodResult refused = check(Optional.of(CHECKS), List.of("registry.internal/")).run("n3");
        assertThat(refused.state()).isEqualTo(CheckPodResult.State.WAITING);
        assertThat(refused.text()).contains("not allowed").contains("registry.internal/");
        assertThat(admin.batch().v1().jobs().inNamespace(CHECKS).list().getItems())
                .noneMatch(j -> "n3".equals(j.getMetadata().getAnnotations().get("liveupdate.dev/check-node")));
    }

    @Test
    void theOperatorsTokenMayCreateJobsInTheCheckNamespaceOnly() {
        Job elsewhere = new JobBuilder().withNewMetadata().withName("x").endMetadata().withNewSpec().withNewTemplate()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec().build();
        assertThatThrownBy(() -> operator.batch().v1().jobs().inNamespace("default").resource(elsewhere).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> operator.pods().inNamespace(CHECKS).resource(new PodBuilder().withNewMetadata()
                .withName("p").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec().build()).create())
                .as("no bare pods: only the Job it builds").isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
    }
}
