package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.Blocker;
import dev.liveupdate.operator.planning.BlockerCheck;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Asks the API server, per node and only for nodes about to start, whether a blocker's pods run there
 * ({@link PodsOnNode}). No Pod informer: caching every pod of a 5,000-node cluster would cost far more than a few
 * lists per wave. With the operator's blocker namespaces set ({@link BlockerNamespaces}), it lists only in those, one by one.
 */
public final class PodBlockerCheck implements BlockerCheck {
    /** Pods looked at per list. */
    static final long LIMIT = 100;

    private final PodsOnNode pods;
    private final List<Blocker> blockers;
    private final BlockerNamespaces scope;

    public PodBlockerCheck(KubernetesClient client, List<Blocker> blockers) {
        this(client, blockers, BlockerNamespaces.EVERYWHERE);
    }

    /** @param scope the namespaces the operator may search (its setting, matching its RBAC) */
    public PodBlockerCheck(KubernetesClient client, List<Blocker> blockers, BlockerNamespaces scope) {
        this.pods = new PodsOnNode(client);
        this.blockers = blockers == null ? List.of() : blockers;
        this.scope = scope;
    }

    @Override
    public Optional<String> blockingPod(String nodeName) {
        for (Blocker b : blockers) {
            BlockerNamespaces.Lookup where = scope.lookup(b.getNamespaces());
            if (!where.outside().isEmpty()) {
                // Fail closed: a blocker the operator may not look for could be running there.
                return Optional.of(b.getName() + " (cannot be checked: namespace(s) " + where.outside()
                        + " outside the operator's blocker namespaces " + scope.allowed()
                        + "; add them to the chart value operator.blockerNamespaces or change the blocker)");
            }
            Optional<Pod> p = pods.pods(b.getPodSelector(), where, nodeName, LIMIT).filter(PodBlockerCheck::running)
                    .findFirst();
            if (p.isPresent()) {
                return Optional.of(describe(b, p.get()));
            }
        }
        return Optional.empty();
    }

    private static boolean running(Pod p) {
        return p.getStatus() == null
                || !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase());
    }

    private static String describe(Blocker b, Pod p) {
        return b.getName() + " (pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + ")";
    }
}
