package dev.liveupdate.operator.it;

import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.util.List;

/** A token of the operator's ServiceAccount from an installed chart: what the operator's pod would authenticate with. */
final class OperatorToken {
    private OperatorToken() {
    }

    static String of(TestCluster cluster, List<HasMetadata> installed, String namespace) {
        ServiceAccount sa = installed.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
                .filter(s -> "operator".equals(s.getMetadata().getLabels().get("app.kubernetes.io/component")))
                .findFirst().orElseThrow();
        return cluster.client().serviceAccounts().inNamespace(namespace)
                .withName(sa.getMetadata().getName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
    }
}
