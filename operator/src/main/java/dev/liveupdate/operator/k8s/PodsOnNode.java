package dev.liveupdate.operator.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The pods on one node that match a selector, asked of the API server where the operator may look: a list with the
 * field selector spec.nodeName (indexed by the API server, the same query the kubelet makes) and the label selector,
 * across all namespaces or one listed namespace after the other. Lazy: a caller that stops at the first pod it wants
 * asks no further namespace. Shared by blockers ({@link PodBlockerCheck}) and health gates ({@link PodHealthProbe}).
 */
final class PodsOnNode {
    private final KubernetesClient client;

    PodsOnNode(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param where from {@link BlockerNamespaces#lookup}, with nothing {@code outside} (the caller fails closed on that)
     * @param limit pods looked at per list (one namespace, or all)
     */
    Stream<Pod> pods(LabelSelector selector, BlockerNamespaces.Lookup where, String node, long limit) {
        Stream<Supplier<List<Pod>>> lists = where.anyNamespace()
                ? Stream.of(() -> client.pods().inAnyNamespace().withLabelSelector(selector)
                        .withField("spec.nodeName", node).list(options(limit)).getItems())
                : where.namespaces().stream().map(ns -> () -> client.pods().inNamespace(ns)
                        .withLabelSelector(selector).withField("spec.nodeName", node).list(options(limit)).getItems());
        return lists.flatMap(list -> list.get().stream());
    }

    private static ListOptions options(long limit) {
        return new ListOptionsBuilder().withLimit(limit).build();
    }
}
