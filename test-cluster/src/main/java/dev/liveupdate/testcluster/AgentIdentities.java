package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Locale;

/**
 * Makes agents authenticate as themselves: a ServiceAccount, a Pod bound to a node (spec.nodeName set directly,
 * as the scheduler would; no kubelet runs it), and a token from the TokenRequest API bound to that Pod.
 */
public final class AgentIdentities {
    /** Placeholder image: nothing pulls it, there is no kubelet. */
    static final String PLACEHOLDER_IMAGE = "liveupdate.invalid/agent-placeholder:test";

    private final KubernetesClient client;

    AgentIdentities(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Ensures the namespace and ServiceAccount exist, creates a Pod named {@code <serviceAccount>-<nodeName>} on
     * {@code nodeName}, and mints a one-hour token bound to it. The Node object need not exist (the token then
     * carries the node name without its UID).
     */
    public AgentIdentity create(String namespace, String serviceAccount, String nodeName) {
        ensureNamespace(namespace);
        client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(serviceAccount).withNamespace(namespace).endMetadata().build()).serverSideApply();
        String podName = podName(serviceAccount, nodeName);
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/component", "agent-test-identity").endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .withServiceAccountName(serviceAccount)
                .withAutomountServiceAccountToken(false)
                .addNewContainer().withName("agent").withImage(PLACEHOLDER_IMAGE).endContainer()
                .endSpec()
                .build()).create();
        String token = mintToken(namespace, serviceAccount, pod, Duration.ofHours(1));
        return new AgentIdentity(namespace, serviceAccount, podName, pod.getMetadata().getUid(), nodeName, token);
    }

    /** A fresh token for an existing identity (e.g. after the old one expired or to test rotation). */
    public String mintToken(String namespace, String serviceAccount, Pod pod, Duration ttl) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withExpirationSeconds(ttl.toSeconds())
                .withNewBoundObjectRef()
                .withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
        TokenRequest answered = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
        return answered.getStatus().getToken();
    }

    private void ensureNamespace(String namespace) {
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
        }
    }

    static String podName(String serviceAccount, String nodeName) {
        String n = (serviceAccount + "-" + nodeName).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return n.length() > 63 ? n.substring(0, 63).replaceAll("[-.]+$", "") : n;
    }
}
