package dev.liveupdate.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.Blocker;
import dev.liveupdate.api.v1alpha1.PodHealthGate;
import dev.liveupdate.operator.k8s.BlockerNamespaces;
import dev.liveupdate.operator.k8s.PodBlockerCheck;
import dev.liveupdate.operator.k8s.PodHealthProbe;
import dev.liveupdate.testcluster.ChartInstaller;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart value operator.blockerNamespaces against a real kube-apiserver: installed with {vms}, the operator's own
 * ServiceAccount token may list pods in vms and nowhere else (no ClusterRole rule for pods, a Role in vms), and the
 * operator's blocker check, run with that token, finds a blocker pod in vms, never asks elsewhere (no 403), and holds
 * a node back when a blocker names a namespace it may not search.
 */
class BlockerNamespacesIT {
    static final String NS = "liveupdate-system";
    static TestCluster cluster;
    static KubernetesClient admin;
    static KubernetesClient operator;

    @BeforeAll
    static void start() {
        cluster = TestCluster.builder().start();
        admin = cluster.client();
        for (String ns : List.of("vms", "other")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
            admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("default").endMetadata().build()).createOr(NonDeletingOperation::update);
        }
        List<HasMetadata> installed = new ChartInstaller(cluster).install("lu", NS,
                Map.of("operator.blockerNamespaces", "{vms}"));
        String token = OperatorToken.of(cluster, installed, NS);
        operator = cluster.clientForToken(token);
        cluster.nodes().create("n1", Map.of("pool", "kvm"));
        for (String ns : List.of("vms", "other")) {
            admin.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("guard")
                    .withLabels(Map.of("app", "guard")).endMetadata().withNewSpec().withNodeName("n1")
                    .withAutomountServiceAccountToken(false).addNewContainer().withName("c").withImage("busybox")
                    .endContainer().endSpec().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Blocker blocker(List<String> namespaces) {
        Blocker b = new Blocker();
        b.setName("vm-guard");
        b.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "guard").build());
        b.setNamespaces(namespaces);
        return b;
    }

    static PodBlockerCheck check(Blocker b) {
        return new PodBlockerCheck(operator, List.of(b), BlockerNamespaces.of(Optional.of(List.of("vms"))));
    }

    @Test
    void theOperatorsTokenListsPodsInTheListedNamespacesOnly() {
        assertThat(operator.pods().inNamespace("vms").list().getItems()).extracting(p -> p.getMetadata().getName())
                .contains("guard");
        assertThatThrownBy(() -> operator.pods().inNamespace("other").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> operator.pods().inAnyNamespace().list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void theBlockerCheckLooksOnlyWhereItMayAndFailsClosedElsewhere() {
        // No namespaces in the blocker: the allowed ones are searched (not the cluster, which would be a 403).
        assertThat(check(blocker(null)).blockingPod("n1")).hasValueSatisfying(d -> assertThat(d).contains("vms/guard"));
        assertThat(check(blocker(List.of("vms"))).blockingPod("n1")).hasValueSatisfying(d -> assertThat(d)
                .contains("vms/guard"));
        assertThat(check(blocker(null)).blockingPod("n2")).as("nothing on another node").isEmpty();
        // A namespace the operator may not search: the node is held back, saying why, and nothing is asked there.
        assertThat(check(blocker(List.of("other"))).blockingPod("n2")).hasValueSatisfying(d -> assertThat(d)
                .contains("cannot be checked").contains("[other]").contains("operator.blockerNamespaces"));
    }

    @Test
    void theHealthProbeListsUnreadyPodsOnTheNodeLooksOnlyWhereItMayAndFailsClosedElsewhere() {
        PodHealthGate g = new PodHealthGate();
        g.setName("vms");
        g.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "guard").build());
        PodHealthProbe probe = new PodHealthProbe(operator, List.of(g), BlockerNamespaces.of(Optional.of(List.of("vms"))));
        assertThat(probe.unhealthyPods("n1")).containsExactly("gate vms: pod vms/guard is not Ready (phase Pending)");
        assertThat(probe.unhealthyPods("n2")).as("nothing on another node").isEmpty();

        PodHealthGate elsewhere = new PodHealthGate();
        elsewhere.setName("other");
        elsewhere.setPodSelector(g.getPodSelector());
        elsewhere.setNamespaces(List.of("other"));
        assertThat(new PodHealthProbe(operator, List.of(elsewhere), BlockerNamespaces.of(Optional.of(List.of("vms"))))
                .unhealthyPods("n2")).singleElement().satisfies(d -> assertThat(d).contains("cannot be checked")
                        .contains("[other]"));

        admin.pods().inNamespace("vms").withName("guard").editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build());
        assertThat(probe.unhealthyPods("n1")).as("Ready: the gate holds").isEmpty();
    }

    @Test
    void theChartGrantsPodsClusterWideOnlyWithoutTheList() {
        List<HasMetadata> unlimited = render(Map.of());
        assertThat(podRules(unlimited)).containsExactly("ClusterRole");
        List<HasMetadata> limited = render(Map.of("operator.blockerNamespaces", "{vms,backup}"));
        assertThat(podRules(limited)).containsExactly("Role vms", "Role backup");
        // The agent-rollout Role (delete outdated agent pods) stays in the release namespace either way.
        for (List<HasMetadata> objects : List.of(unlimited, limited)) {
            assertThat(objects).filteredOn(o -> o instanceof Role && o.getMetadata().getName().endsWith("-agent-rollout"))
                    .singleElement().satisfies(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(NS));
        }
    }

    static List<HasMetadata> render(Map<String, String> values) {
        String yaml = cluster.helm().render(dev.liveupdate.testcluster.RepoLayout.locate().chartDir(), "lu", NS,
                values, false);
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(serialization.unmarshal(doc));
            }
        }
        return objects;
    }

    /** The operator's roles that grant access to pods, as "ClusterRole" or "Role <namespace>". */
    static List<String> podRules(List<HasMetadata> objects) {
        List<String> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (!"operator".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component"))) {
                continue;
            }
            if (o instanceof ClusterRole cr && cr.getRules().stream().anyMatch(r -> r.getResources().contains("pods"))) {
                out.add("ClusterRole");
            }
            if (o instanceof Role r && !r.getMetadata().getName().endsWith("-agent-rollout")
                    && r.getRules().stream().anyMatch(x -> x.getResources().contains("pods"))) {
                assertThat(r.getRules()).singleElement().satisfies(x -> assertThat(x.getVerbs()).containsExactly("list"));
                out.add("Role " + r.getMetadata().getNamespace());
            }
        }
        return out;
    }
}
