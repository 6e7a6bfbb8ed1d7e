package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.PodHealthGate;
import dev.liveupdate.operator.planning.HealthProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan's pod health gates on one node, asked of the API server per gate ({@link PodsOnNode}, as blockers are). A
 * matching pod holds its gate back while it is not Ready, has failed or is being deleted; a pod that ran to completion
 * does not. A gate naming namespaces outside the operator's blocker namespaces cannot be checked and does not hold
 * (fail closed). The plan's check pod, if any, is {@link CheckPodJob}'s.
 */
public final class PodHealthProbe implements HealthProbe {
    /** Pods looked at per gate, namespace and node. */
    static final long LIMIT = 200;

    private final PodsOnNode pods;
    private final List<PodHealthGate> gates;
    private final BlockerNamespaces scope;
    private final CheckPodJob check;

    public PodHealthProbe(KubernetesClient client, List<PodHealthGate> gates, BlockerNamespaces scope) {
        this(client, gates, scope, null);
    }

    /** @param check the plan's check pod, or null when it has none */
    public PodHealthProbe(KubernetesClient client, List<PodHealthGate> gates, BlockerNamespaces scope,
            CheckPodJob check) {
        this.pods = new PodsOnNode(client);
        this.gates = gates == null ? List.of() : gates;
        this.scope = scope;
        this.check = check;
    }

    @Override
    public CheckPodResult checkPod(String nodeName) {
        return check == null ? CheckPodResult.PASSED : check.run(nodeName);
    }

    @Override
    public List<String> unhealthyPods(String nodeName) {
        List<String> unmet = new ArrayList<>();
        for (PodHealthGate g : gates) {
            BlockerNamespaces.Lookup where = scope.lookup(g.getNamespaces());
            if (!where.outside().isEmpty()) {
                unmet.add("gate " + g.getName() + " cannot be checked: namespace(s) " + where.outside()
                        + " outside the operator's pod namespaces " + scope.allowed()
                        + " (chart value operator.blockerNamespaces)");
                continue;
            }
            pods.pods(g.getPodSelector(), where, nodeName, LIMIT).forEach(p -> {
                String why = PodHealth.unhealthy(p);
                if (why != null) {
                    unmet.add("gate " + g.getName() + ": pod " + p.getMetadata().getNamespace() + "/"
                            + p.getMetadata().getName() + " " + why);
                }
            });
        }
        return unmet;
    }
}
