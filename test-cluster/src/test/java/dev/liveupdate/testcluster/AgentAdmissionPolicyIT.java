package dev.liveupdate.testcluster;

import static dev.liveupdate.testcluster.Resources.get;
import static dev.liveupdate.testcluster.Resources.instruction;
import static dev.liveupdate.testcluster.Resources.liveUpdateNode;
import static dev.liveupdate.testcluster.Resources.nodes;
import static dev.liveupdate.testcluster.Resources.rejected;
import static dev.liveupdate.testcluster.Resources.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC and ValidatingAdmissionPolicy applied for real; agents and the operator authenticate with their
 * own pod-bound service-account tokens. An agent may create and report on its own node's LiveUpdateNode only.
 */
class AgentAdmissionPolicyIT {
    static final String NAMESPACE = "liveupdate-system";
    static final String RELEASE = "lu";
    static final String AGENT_SA = "lu-liveupdate-operator-agent";
    static final String OPERATOR_SA = "lu-liveupdate-operator-operator";
    static final String OTHER_NODE_MESSAGE = "may only write the LiveUpdateNode named";

    static TestCluster cluster;
    static KubernetesClient admin;

    @BeforeAll
    static void installChart() {
        cluster = SharedTestCluster.get();
        admin = cluster.client();
        // The kernel policy is KernelPolicyIT's (own cluster): the shared cluster's other tests create plans freely.
        List<HasMetadata> applied = new ChartInstaller(cluster).install(RELEASE, NAMESPACE, Map.of("kernelPolicy.enabled", "false"));
        assertThat(applied).extracting(HasMetadata::getKind)
                .contains("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ClusterRole", "DaemonSet", "Deployment");
        awaitPolicyEnforced();
    }

    /** Policies take effect when the API server's informer has seen policy and binding: probe with a dry run. */
    private static void awaitPolicyEnforced() {
        cluster.nodes().create("probe-node", Map.of());
        AgentIdentity probe = cluster.agents().create(NAMESPACE, AGENT_SA, "probe-node");
        KubernetesClient agent = cluster.clientForToken(probe.token());
        Poll.until("agent admission policy enforced", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            try {
                nodes(agent).resource(liveUpdateNode("not-probe-node", "not-probe-node")).dryRun().create();
                return Optional.empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && e.getMessage().contains(OTHER_NODE_MESSAGE)) {
                    return Optional.of(true);
                }
                throw e;
            }
        }, Optional::empty);
    }

    /** A Node, an agent pod on it and that agent's client. */
    private record Agent(Node node, AgentIdentity identity, KubernetesClient client) {
    }

    private static Agent agentOn(String nodeName) {
        Node node = cluster.nodes().create(nodeName, Map.of("pool", "kvm"));
        AgentIdentity id = cluster.agents().create(NAMESPACE, AGENT_SA, nodeName);
        return new Agent(node, id, cluster.clientForToken(id.token()));
    }

    /** The LiveUpdateNode an agent creates at start: named after its node, owned by it, no instruction. */
    private static GenericKubernetesResource ownObject(Agent a) {
        GenericKubernetesResource lun = liveUpdateNode(a.node().getMetadata().getName(), a.node().getMetadata().getName());
        lun.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("Node")
                .withName(a.node().getMetadata().getName()).withUid(a.node().getMetadata().getUid())
                .build()));
        return lun;
    }

    @Test
    void agentCreatesItsOwnObjectAndWritesItsStatus() {
        Agent a = agentOn("adm-node-own");
        // The agent reads its own Node for the owner reference's UID (RBAC: nodes get).
        assertThat(a.client().nodes().withName("adm-node-own").get().getMetadata().getUid())
                .isEqualTo(a.node().getMetadata().getUid());

        GenericKubernetesResource created = nodes(a.client()).resource(ownObject(a)).create();
        set(created, "status", Map.of(
                "phase", "Idle",
                "inventory", Map.of("abi", "B", "capable", true, "kernelRelease", "6.12.0-test",
                        "bootID", a.node().getStatus().getNodeInfo().getBootID()),
                "message", "agent started"));
        GenericKubernetesResource reported = nodes(a.client()).resource(created).updateStatus();
        assertThat(get(reported, "status.phase")).isEqualTo("Idle");
        assertThat(get(nodes(admin).withName("adm-node-own").get(), "status.inventory.abi")).isEqualTo("B");

        // And again later (status updates are the agent's daily business).
        set(reported, "status.phase", "Preparing");
        assertThat(get(nodes(a.client()).resource(reported).updateStatus(), "status.phase")).isEqualTo("Preparing");
    }

    @Test
    void agentProcessKubeconfigWorks() {
        // What a separately started agent process gets: KUBECONFIG with its own pod-bound token.
        Agent a = agentOn("adm-node-kubeconfig");
        var file = cluster.kubeconfigForToken("agent-adm-node-kubeconfig", a.identity().token());
        try (KubernetesClient fromFile = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(file.toFile())).build()) {
            nodes(fromFile).resource(ownObject(a)).create();
            assertThat(rejected(403, () -> nodes(fromFile).resource(liveUpdateNode("adm-node-own", "adm-node-own")).dryRun().create()))
                    .contains(OTHER_NODE_MESSAGE);
        }
    }

    @Test
    void agentCannotCreateAnotherNodesObject() {
        Agent a = agentOn("adm-node-a1");
        cluster.nodes().create("adm-node-b1", Map.of());
        String message = rejected(403, () -> nodes(a.client()).resource(liveUpdateNode("adm-node-b1", "adm-node-b1")).create());
        System.out.println("denied (create other node's object): " + message);
        assertThat(message).contains("ValidatingAdmissionPolicy")
                .contains("the live-update agent on node adm-node-a1 may only write the LiveUpdateNode named adm-node-a1, not adm-node-b1");
        assertThat(nodes(admin).withName("adm-node-b1").get()).isNull();
    }

    @Test
    void agentCannotWriteAnotherNodesStatus() {
        Agent a = agentOn("adm-node-a2");
        Agent b = agentOn("adm-node-b2");
        nodes(b.client()).resource(ownObject(b)).create();

        GenericKubernetesResource others = nodes(a.client()).withName("adm-node-b2").get();
        set(others, "status", Map.of("phase", "Failed", "message", "forged by another node's agent"));
        String message = rejected(403, () -> nodes(a.client()).resource(others).updateStatus());
        System.out.println("denied (status of other node's object): " + message);
        assertThat(message).contains("the live-update agent on node adm-node-a2 may only write the LiveUpdateNode named adm-node-a2, not adm-node-b2");
        assertThat(get(nodes(admin).withName("adm-node-b2").get(), "status")).isNull();
    }

    @Test
    void agentCannotWriteAnInstruction() {
        Agent a = agentOn("adm-node-instr");
        GenericKubernetesResource withInstruction = set(ownObject(a), "spec.instruction", instruction("p", "uid-p", "Rebooted"));
        String message = rejected(403, () -> nodes(a.client()).resource(withInstruction).create());
        System.out.println("denied (instruction at create): " + message);
        // Two policies refuse it (the agent's own-node policy and the operator-only instruction policy); either speaks.
        assertThat(message).containsAnyOf("the live-update agent may not write spec.instruction",
                "a LiveUpdateNode is created without an instruction");

        // Updating spec later is not even allowed by RBAC (no update/patch on the main resource).
        GenericKubernetesResource own = nodes(a.client()).resource(ownObject(a)).create();
        set(own, "spec.instruction", instruction("p", "uid-p", "Rebooted"));
        String rbac = rejected(403, () -> nodes(a.client()).resource(own).update());
        System.out.println("denied (spec update by RBAC): " + rbac);
        assertThat(rbac).contains("cannot update resource \"liveupdatenodes\"");
    }

    @Test
    void agentCannotOwnItsObjectByAnotherNode() {
        Agent a = agentOn("adm-node-owner");
        Node other = cluster.nodes().create("adm-node-owner-other", Map.of());
        GenericKubernetesResource lun = ownObject(a);
        lun.getMetadata().getOwnerReferences().get(0).setName(other.getMetadata().getName());
        lun.getMetadata().getOwnerReferences().get(0).setUid(other.getMetadata().getUid());
        String message = rejected(403, () -> nodes(a.client()).resource(lun).create());
        assertThat(message).contains("may only make its LiveUpdateNode owned by its own Node");
    }

    @Test
    void policyTypeChecksWithoutWarnings() {
        // The validatingadmissionpolicy-status controller compiles the expressions against the CRD schema.
        var policy = Poll.until("type checking of the agent policy", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            var p = admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(AGENT_SA + "-own-node").get();
            return p.getStatus() != null && p.getStatus().getTypeChecking() != null ? Optional.of(p) : Optional.empty();
        }, Optional::empty);
        assertThat(policy.getStatus().getTypeChecking().getExpressionWarnings()).isEmpty();
    }

    @Test
    void tokenWithoutNodeIsRefused() {
        // A token of the agent's ServiceAccount that is not bound to a pod carries no node name.
        var answered = admin.serviceAccounts().inNamespace(NAMESPACE).withName(AGENT_SA)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build());
        KubernetesClient unbound = cluster.clientForToken(answered.getStatus().getToken());
        cluster.nodes().create("adm-node-unbound", Map.of());
        String message = rejected(403, () -> nodes(unbound).resource(liveUpdateNode("adm-node-unbound", "adm-node-unbound")).create());
        System.out.println("denied (token without node): " + message);
        assertThat(message).contains("must authenticate with the pod-bound service-account token");
    }

    @Test
    void agentRbacIsNarrow() {
        Agent a = agentOn("adm-node-rbac");
        assertThat(rejected(403, () -> a.client().nodes().list())).contains("cannot list resource \"nodes\"");
        assertThat(rejected(403, () -> a.client().nodes().withName("adm-node-rbac").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        }))).contains("cannot patch resource \"nodes\"");
        assertThat(rejected(403, () -> Resources.plans(a.client()).list())).contains("cannot list resource \"liveupdates\"");
        assertThat(rejected(403, () -> a.client().secrets().inNamespace(NAMESPACE).list())).contains("cannot list resource \"secrets\"");
    }

    @Test
    void operatorWritesInstructionsButNotStatus() {
        Agent a = agentOn("adm-node-op");
        nodes(a.client()).resource(ownObject(a)).create();
        AgentIdentity opId = cluster.agents().create(NAMESPACE, OPERATOR_SA, "adm-node-op");
        KubernetesClient operator = cluster.clientForToken(opId.token());

        // The policy does not apply to the operator; RBAC lets it write spec ...
        GenericKubernetesResource lun = nodes(operator).withName("adm-node-op").get();
        set(lun, "spec.instruction", instruction("plan-op", "uid-op", "Prepared"));
        assertThat(get(nodes(operator).resource(lun).update(), "spec.instruction.step")).isEqualTo("Prepared");
        // ... cordon nodes and read plans, but not write a node's report nor create objects for nodes.
        assertThat(operator.nodes().withName("adm-node-op").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        }).getSpec().getUnschedulable()).isTrue();
        Resources.plans(operator).list();
        GenericKubernetesResource current = nodes(operator).withName("adm-node-op").get();
        set(current, "status", Map.of("phase", "Finished"));
        assertThat(rejected(403, () -> nodes(operator).resource(current).updateStatus()))
                .contains("cannot update resource \"liveupdatenodes/status\"");
        assertThat(rejected(403, () -> nodes(operator).resource(liveUpdateNode("adm-node-op-x", "adm-node-op-x")).create()))
                .contains("cannot create resource \"liveupdatenodes\"");
    }

    @Test
    void theOperatorOnlyCordonsAndUncordonsNodes() {
        cluster.nodes().create("adm-node-cordon", Map.of("pool", "kvm"));
        AgentIdentity opId = cluster.agents().create(NAMESPACE, OPERATOR_SA, "adm-node-cordon");
        KubernetesClient operator = cluster.clientForToken(opId.token());
        String denied = Poll.until("operator node policy enforced", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            try {
                operator.nodes().withName("adm-node-cordon").edit(n -> {
                    n.getMetadata().getLabels().put("pool", "db");
                    return n;
                });
                return Optional.<String>empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && e.getMessage().contains("ValidatingAdmissionPolicy")) {
                    return Optional.of(e.getMessage());
                }
                throw e;
            }
        }, Optional::empty);
        assertThat(denied).contains("may not change a Node's labels");
        assertThat(admin.nodes().withName("adm-node-cordon").get().getMetadata().getLabels()).containsEntry("pool", "kvm");

        assertThat(rejected(403, () -> operator.nodes().withName("adm-node-cordon").edit(n -> {
            n.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("x")
                    .withEffect("NoSchedule").build()));
            return n;
        }))).contains("may change only spec.unschedulable");
        assertThat(rejected(403, () -> operator.nodes().withName("adm-node-cordon").edit(n -> {
            n.getMetadata().setAnnotations(Map.of("other.example/x", "y"));
            return n;
        }))).contains("only its own annotation");

        // What it does do: the cordon with its mark, in one merge patch, and back.
        operator.nodes().withName("adm-node-cordon").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"liveupdate.dev/cordoned-by\":\"uid-x\"}},\"spec\":{\"unschedulable\":true}}");
        assertThat(admin.nodes().withName("adm-node-cordon").get().getSpec().getUnschedulable()).isTrue();
        operator.nodes().withName("adm-node-cordon").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"liveupdate.dev/cordoned-by\":null}},\"spec\":{\"unschedulable\":null}}");
        assertThat(admin.nodes().withName("adm-node-cordon").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void theOperatorWritesOnlyItsOwnLifecycleConditionsInANodesStatus() {
        cluster.nodes().create("adm-node-life", Map.of("pool", "kvm"));
        statusPatch(admin, "adm-node-life", condition("DrainInProgress", "True", "Decommission"));
        AgentIdentity opId = cluster.agents().create(NAMESPACE, OPERATOR_SA, "adm-node-life");
        KubernetesClient operator = cluster.clientForToken(opId.token());
        String denied = Poll.until("operator node-status policy enforced", Duration.ofSeconds(60),
                Duration.ofMillis(200), () -> {
                    try {
                        statusPatch(operator, "adm-node-life", condition("Ready", "False", "LiveUpdateX"));
                        return Optional.<String>empty();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() == 403 && e.getMessage().contains("ValidatingAdmissionPolicy")) {
                            return Optional.of(e.getMessage());
                        }
                        throw e;
                    }
                }, Optional::empty);
        assertThat(denied).contains("may change only Node lifecycle conditions");
        assertThat(rejected(403, () -> statusPatch(operator, "adm-node-life",
                condition("DrainInProgress", "False", "LiveUpdateInProgress")))).contains("never another actor's");
        assertThat(rejected(403, () -> statusPatch(operator, "adm-node-life",
                condition("MaintenancePlanned", "True", "SomeoneElse")))).contains("only its own lifecycle conditions");
        assertThat(rejected(403, () -> statusPatch(operator, "adm-node-life",
                "{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.9.9.9\"}]}")))
                .contains("may not change a Node's nodeInfo, addresses");

        // What it does: set its own condition, turn it into another, remove it; the other actor's stays as it was.
        statusPatch(operator, "adm-node-life", condition("MaintenancePlanned", "True", "LiveUpdatePlanned"));
        statusPatch(operator, "adm-node-life", "{\"conditions\":[" + conditionItem("MaintenanceInProgress", "True",
                "LiveUpdateInProgress") + ",{\"type\":\"MaintenancePlanned\",\"$patch\":\"delete\"}]}");
        assertThat(admin.nodes().withName("adm-node-life").get().getStatus().getConditions())
                .extracting(c -> c.getType() + "/" + c.getReason())
                .contains("MaintenanceInProgress/LiveUpdateInProgress", "DrainInProgress/Decommission")
                .doesNotContain("MaintenancePlanned/LiveUpdatePlanned");
        statusPatch(operator, "adm-node-life",
                "{\"conditions\":[{\"type\":\"MaintenanceInProgress\",\"$patch\":\"delete\"}]}");
        assertThat(admin.nodes().withName("adm-node-life").get().getStatus().getConditions())
                .extracting(c -> c.getType() + "/" + c.getReason())
                .contains("DrainInProgress/Decommission").doesNotContain("MaintenanceInProgress/LiveUpdateInProgress");
        var policy = Poll.until("type checking of the operator's node-status policy", Duration.ofSeconds(60),
                Duration.ofMillis(200), () -> {
                    var p = admin.admissionRegistration().v1().validatingAdmissionPolicies()
                            .withName(RELEASE + "-liveupdate-operator-operator-lifecycle-conditions-only").get();
                    return p.getStatus() != null && p.getStatus().getTypeChecking() != null ? Optional.of(p)
                            : Optional.empty();
                }, Optional::empty);
        assertThat(policy.getStatus().getTypeChecking().getExpressionWarnings()).isEmpty();
    }

    private static String conditionItem(String type, String status, String reason) {
        return "{\"type\":\"" + type + "\",\"status\":\"" + status + "\",\"reason\":\"" + reason + "\"}";
    }

    private static String condition(String type, String status, String reason) {
        return "{\"conditions\":[" + conditionItem(type, status, reason) + "]}";
    }

    /** A strategic-merge patch of nodes/status with {@code status} as the status part. */
    private static void statusPatch(KubernetesClient as, String node, String status) {
        as.nodes().withName(node).subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE), "{\"status\":" + status + "}");
    }

    /** A person: a ServiceAccount bound to one of the chart's user roles, with a plain (not pod-bound) token. */
    private static KubernetesClient personWithRole(String name, String role) {
        admin.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", RELEASE + "-liveupdate-operator-" + role)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace("default").endSubject()
                .build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace("default").withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
        return cluster.clientForToken(token);
    }

    @Test
    void aPersonReleasesAFailedRestoreByAnnotationButCannotWriteTheInstruction() {
        Agent a = agentOn("adm-node-person");
        nodes(a.client()).resource(ownObject(a)).create();
        KubernetesClient person = personWithRole("restore-admin-person", "restore-admin");

        // RBAC takes a moment to reach the authorizer's cache: retry the first, allowed, write.
        Poll.until("restore-admin may annotate", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try {
                GenericKubernetesResource lun = nodes(person).withName("adm-node-person").get();
                lun.getMetadata().setAnnotations(Map.of("liveupdate.dev/discard-unrestored", "uid-failed"));
                return Optional.of(nodes(person).resource(lun).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && e.getMessage().contains("cannot")) {
                    return Optional.empty();
                }
                throw e;
            }
        }, Optional::empty);
        assertThat(nodes(admin).withName("adm-node-person").get().getMetadata().getAnnotations())
                .containsEntry("liveupdate.dev/discard-unrestored", "uid-failed");

        // The instruction is the operator's: the admission policy refuses it from anyone else (once it is enforced).
        Poll.until("instruction guard enforced", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            GenericKubernetesResource lun = nodes(person).withName("adm-node-person").get();
            set(lun, "spec.instruction", instruction("plan-person", "uid-person", "Rebooted"));
            try {
                nodes(person).resource(lun).dryRun().update();
                return Optional.empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && e.getMessage().contains("only the live-update operator writes")) {
                    System.out.println("denied (person writes instruction): " + e.getMessage());
                    return Optional.of(true);
                }
                throw e;
            }
        }, Optional::empty);
        assertThat(get(nodes(admin).withName("adm-node-person").get(), "spec.instruction")).isNull();
        // The restore-admin role reads plans but does not write them.
        assertThat(rejected(403, () -> Resources.plans(person).resource(Resources.plan("person-plan")).create()))
                .contains("cannot create resource \"liveupdates\"");
    }

    /** A person whose RBAC lets them create and edit LiveUpdateNodes outright: only the admission policy stops them. */
    private static KubernetesClient personWhoMayWriteLiveUpdateNodes(String name) {
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("lun-writer").endMetadata()
                .addNewRule().withApiGroups("liveupdate.dev").withResources("liveupdatenodes")
                .withVerbs("get", "list", "create", "update", "patch").endRule()
                .build()).serverSideApply();
        admin.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "lun-writer")
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace("default").endSubject()
                .build()).serverSideApply();
        String token = admin.serviceAccounts().inNamespace("default").withName(name)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
                .getStatus().getToken();
        return cluster.clientForToken(token);
    }

    /** Retries while RBAC reaches the authorizer; returns the admission policy's denial message. */
    private static String deniedByPolicy(String what, java.util.function.Supplier<Object> write) {
        return Poll.until(what, Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            try {
                write.get();
                return Optional.<String>empty();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && e.getMessage().contains("ValidatingAdmissionPolicy")) {
                    System.out.println("denied (" + what + "): " + e.getMessage());
                    return Optional.of(e.getMessage());
                }
                if (e.getCode() == 403) {
                    return Optional.empty(); // RBAC not there yet
                }
                throw e;
            }
        }, Optional::empty);
    }

    @Test
    void nobodyButTheOperatorCreatesAnObjectWithAnInstruction() {
        cluster.nodes().create("adm-node-create", Map.of());
        KubernetesClient writer = personWhoMayWriteLiveUpdateNodes("lun-writer-create");
        GenericKubernetesResource withInstruction = liveUpdateNode("adm-node-create", "adm-node-create");
        set(withInstruction, "spec.instruction", instruction("no-such-plan", "uid-nowhere", "Rebooted"));
        assertThat(deniedByPolicy("create with an instruction",
                () -> nodes(writer).resource(withInstruction).dryRun().create()))
                .contains("a LiveUpdateNode is created without an instruction");

        GenericKubernetesResource withLedger = liveUpdateNode("adm-node-create", "adm-node-create");
        withLedger.getMetadata().setAnnotations(Map.of("liveupdate.dev/ledger", "{}"));
        assertThat(deniedByPolicy("create with a ledger", () -> nodes(writer).resource(withLedger).dryRun().create()))
                .contains("only it may add or change them");

        // Without either, the same person may create it (and the node's agent normally does).
        assertThat(nodes(writer).resource(liveUpdateNode("adm-node-create", "adm-node-create")).create()).isNotNull();
        assertThat(get(nodes(admin).withName("adm-node-create").get(), "spec.instruction")).isNull();
    }

    @Test
    void theOperatorsAnnotationsAreItsOwn() {
        Agent a = agentOn("adm-node-notes");
        nodes(a.client()).resource(ownObject(a)).create();
        GenericKubernetesResource noted = nodes(admin).withName("adm-node-notes").get();
        noted.getMetadata().setAnnotations(Map.of("liveupdate.dev/ledger", "{\"wave\":1}",
                "liveupdate.dev/outcome.uid-old", "{\"result\":\"Failed\"}"));
        nodes(admin).resource(noted).update(); // as the operator would (admin is break-glass here)
        KubernetesClient person = personWithRole("restore-admin-notes", "restore-admin");

        assertThat(deniedByPolicy("rewrite the ledger", () -> {
            GenericKubernetesResource l = nodes(person).withName("adm-node-notes").get();
            l.getMetadata().getAnnotations().put("liveupdate.dev/ledger", "{\"wave\":9}");
            return nodes(person).resource(l).dryRun().update();
        })).contains("only it may add or change them");
        assertThat(deniedByPolicy("drop an outcome", () -> {
            GenericKubernetesResource l = nodes(person).withName("adm-node-notes").get();
            l.getMetadata().getAnnotations().remove("liveupdate.dev/outcome.uid-old");
            return nodes(person).resource(l).dryRun().update();
        })).contains("only it may remove them");
        assertThat(deniedByPolicy("add an outcome", () -> {
            GenericKubernetesResource l = nodes(person).withName("adm-node-notes").get();
            l.getMetadata().getAnnotations().put("liveupdate.dev/outcome.uid-new", "{}");
            return nodes(person).resource(l).dryRun().update();
        })).contains("only it may add or change them");

        // The release annotation beside them stays the person's to set.
        GenericKubernetesResource l = nodes(person).withName("adm-node-notes").get();
        l.getMetadata().getAnnotations().put("liveupdate.dev/discard-unrestored", "uid-old");
        assertThat(nodes(person).resource(l).update().getMetadata().getAnnotations())
                .containsEntry("liveupdate.dev/discard-unrestored", "uid-old")
                .containsEntry("liveupdate.dev/ledger", "{\"wave\":1}");
    }

    @Test
    void aPlannerWritesPlansAndAViewerOnlyReads() {
        KubernetesClient planner = personWithRole("planner-person", "planner");
        KubernetesClient viewer = personWithRole("viewer-person", "viewer");
        Poll.until("planner may create a plan", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try {
                return Optional.of(Resources.plans(planner).resource(Resources.plan("planner-plan")).dryRun().create());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403) {
                    return Optional.empty();
                }
                throw e;
            }
        }, Optional::empty);
        Poll.until("viewer may list", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try {
                return Optional.of(nodes(viewer).list());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403) {
                    return Optional.empty();
                }
                throw e;
            }
        }, Optional::empty);
        assertThat(rejected(403, () -> Resources.plans(viewer).resource(Resources.plan("viewer-plan")).create()))
                .contains("cannot create resource \"liveupdates\"");
        Agent a = agentOn("adm-node-planner");
        nodes(a.client()).resource(ownObject(a)).create();
        GenericKubernetesResource lun = nodes(planner).withName("adm-node-planner").get();
        lun.getMetadata().setAnnotations(Map.of("liveupdate.dev/discard-unrestored", "x"));
        assertThat(rejected(403, () -> nodes(planner).resource(lun).update()))
                .contains("cannot update resource \"liveupdatenodes\"");
    }
}
