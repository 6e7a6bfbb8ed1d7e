package dev.liveupdate.operator.agents;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Whether this operator may do what agent upgrades need in the agent DaemonSet's namespace, asked before the
 * controller's informers start: without it the informers fail with a bare 403 and the operator does not start. The
 * chart grants exactly these verbs in the release namespace (Role {@code <release>-agent-rollout}).
 */
final class AgentRolloutAccess {
    private static final Logger LOG = Logger.getLogger(AgentRolloutAccess.class);

    record Need(String group, String resource, String verb) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
        }
    }

    static final List<Need> NEEDED = List.of(new Need("apps", "daemonsets", "list"), new Need("apps", "daemonsets", "watch"),
            new Need("apps", "controllerrevisions", "list"), new Need("apps", "controllerrevisions", "watch"),
            new Need("", "pods", "list"), new Need("", "pods", "watch"), new Need("", "pods", "delete"));

    private AgentRolloutAccess() {
    }

    /** The verbs the API server denies this client in {@code namespace}; empty when it cannot tell (then the informers say). */
    static List<Need> denied(KubernetesClient client, String namespace) {
        List<Need> denied = new ArrayList<>();
        for (Need n : NEEDED) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                    .withResourceAttributes(new ResourceAttributesBuilder().withNamespace(namespace).withGroup(n.group())
                            .withResource(n.resource()).withVerb(n.verb()).build())
                    .endSpec().build();
            try {
                SelfSubjectAccessReview answer = client.resource(review).create();
                if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
                    denied.add(n);
                }
            } catch (KubernetesClientException e) {
                LOG.warnf("agent upgrades: cannot ask the API server whether this operator may %s in namespace %s (%s);"
                        + " starting anyway", n, namespace, e.getMessage());
                return List.of();
            }
        }
        return denied;
    }

    /** What to tell a person whose operator may not watch the agent DaemonSet where it was told to look. */
    static String explain(String daemonSet, String namespace, List<Need> denied) {
        return "agent upgrades: liveupdate.operator.agent-daemon-set=" + daemonSet + " is looked for in namespace "
                + namespace + " (liveupdate.operator.agent-namespace), but this operator may not " + denied + " there. "
                + "Set liveupdate.operator.agent-namespace to the namespace the agent DaemonSet and the chart's"
                + " agent-rollout Role are in (the chart sets it to the release namespace), or unset"
                + " liveupdate.operator.agent-daemon-set to run without agent upgrades";
    }
}
