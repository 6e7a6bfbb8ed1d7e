package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated CRDs install on the pinned kube-apiserver: CEL rules compile within the cost budget, names accepted. */
class CrdInstallIT {

    @Test
    void bothCrdsAreEstablishedAndServed() {
        TestCluster cluster = SharedTestCluster.get();
        for (String name : List.of("liveupdates.liveupdate.dev", "liveupdatenodes.liveupdate.dev")) {
            CustomResourceDefinition crd = cluster.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
            assertThat(crd).as(name).isNotNull();
            assertThat(crd.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"))
                    .anyMatch(c -> c.getType().equals("NamesAccepted") && c.getStatus().equals("True"));
            assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
        }
        assertThat(cluster.client().getApiResources("liveupdate.dev/v1alpha1").getResources())
                .extracting(r -> r.getName())
                .contains("liveupdates", "liveupdates/status", "liveupdatenodes", "liveupdatenodes/status");
    }

    @Test
    void chartCopyOfTheCrdsInstallsToo() {
        // helm/liveupdate-operator/crds is what `helm install` applies; re-applying it must be a no-op success.
        TestCluster cluster = SharedTestCluster.get();
        var applied = cluster.manifests().apply(RepoLayout.locate().chartDir().resolve("crds"));
        assertThat(applied).hasSize(2).allMatch(o -> o instanceof CustomResourceDefinition);
    }
}
