package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.CheckPod;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.operator.planning.HealthProbe.CheckPodResult;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan's check pod on one node: a Job in the operator's check namespace whose one pod is bound to the node
 * ({@code nodeName}: no scheduler, so a cordoned node runs it) and must exit 0. The operator builds the pod itself, to
 * Pod Security "restricted" (non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp, read-only root,
 * no service account token, no host namespaces or paths): the plan gives only image, command and args. One Job per
 * plan and node, named from both, so a later pass finds it instead of starting another; the plan owns it (deleted
 * with the plan) and it removes itself an hour after it finished.
 */
public final class CheckPodJob {
    static final String PLAN_LABEL = "liveupdate.dev/check-for-plan";
    static final String NODE_ANNOTATION = "liveupdate.dev/check-node";
    static final int TTL_SECONDS = 3600;

    private final KubernetesClient client;
    private final LiveUpdate plan;
    private final CheckPod spec;
    private final Duration deadline;
    private final Optional<String> namespace;
    private final List<String> allowedImages;

    /**
     * @param deadline      the gates' timeout: the Job is stopped (and fails) after it
     * @param namespace     the operator's check namespace; empty: check pods are off
     * @param allowedImages image prefixes the admin allows; empty: any
     */
    public CheckPodJob(KubernetesClient client, LiveUpdate plan, CheckPod spec, Duration deadline,
            Optional<String> namespace, List<String> allowedImages) {
        this.client = client;
        this.plan = plan;
        this.spec = spec;
        this.deadline = deadline;
        this.namespace = namespace.filter(ns -> !ns.isBlank());
        this.allowedImages = allowedImages == null ? List.of() : allowedImages;
    }

    public CheckPodResult run(String node) {
        if (namespace.isEmpty()) {
            return waiting("check pods are off on this operator: set the chart value operator.healthChecks.namespace "
                    + "(liveupdate.operator.health-checks.namespace) or drop healthGates.checkPod");
        }
        if (!allowedImages.isEmpty() && allowedImages.stream().noneMatch(spec.getImage()::startsWith)) {
            return waiting("check pod image " + spec.getImage() + " is not allowed by the operator (allowed prefixes "
                    + allowedImages + ", chart value operator.healthChecks.allowedImages)");
        }
        String ns = namespace.get();
        String name = name(plan.getMetadata().getUid(), node);
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        if (job == null) {
            try {
                client.batch().v1().jobs().inNamespace(ns).resource(job(ns, name, node)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            return waiting("check pod job " + ns + "/" + name + " started on the node");
        }
        var st = job.getStatus();
        if (st != null && st.getSucceeded() != null && st.getSucceeded() > 0) {
            return CheckPodResult.PASSED;
        }
        var failed = st == null || st.getConditions() == null ? null : st.getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
        if (failed != null || st != null && st.getFailed() != null && st.getFailed() > 0) {
            String why = failed == null ? "its pod failed"
                    : failed.getReason() + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
            return new CheckPodResult(CheckPodResult.State.FAILED, "job " + ns + "/" + name + " " + why
                    + " (kubectl -n " + ns + " logs job/" + name + ")");
        }
        return waiting("check pod job " + ns + "/" + name + " has not completed");
    }

    /** Stable per plan and node, within the 63 characters a Job's pods' labels allow. */
    static String name(String planUid, String node) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((planUid + "/" + node)
                    .getBytes(StandardCharsets.UTF_8));
            return "lu-check-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Job job(String ns, String name, String node) {
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of(PLAN_LABEL, plan.getMetadata().getUid(), "app.kubernetes.io/managed-by",
                        "liveupdate-operator"))
                .withAnnotations(Map.of(NODE_ANNOTATION, node, "liveupdate.dev/plan", plan.getMetadata().getName()))
                .addNewOwnerReference().withApiVersion(LiveUpdate.GROUP + "/" + LiveUpdate.VERSION).withKind("LiveUpdate")
                .withName(plan.getMetadata().getName()).withUid(plan.getMetadata().getUid()).endOwnerReference()
                .endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(TTL_SECONDS)
                .withActiveDeadlineSeconds(Math.max(1, deadline.toSeconds()))
                .withNewTemplate()
                .withNewMetadata().withLabels(Map.of(PLAN_LABEL, plan.getMetadata().getUid())).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy("Never").withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .addNewToleration().withOperator("Exists").endToleration() // cordoned, maybe tainted: it must run there
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("check").withImage(spec.getImage()).withCommand(spec.getCommand())
                .withArgs(spec.getArgs())
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi")).endResources()
                .endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static CheckPodResult waiting(String text) {
        return new CheckPodResult(CheckPodResult.State.WAITING, text);
    }
}
