package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.operator.planning.LunView;
import dev.liveupdate.operator.planning.NodeEntry;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds the planner's input for one plan from the informer caches: the Nodes its selector matches, plus the nodes
 * it holds, cordoned, or has an outcome on (found through indexes, so a node that left the selector is not
 * forgotten). Parsed LiveUpdateNode views are memoized per resourceVersion, so a pass over 5,000 nodes parses only
 * what changed.
 */
public final class FleetSnapshot {
    /** Cache access, so tests can feed maps instead of informers. */
    public interface Caches {
        Stream<Node> nodes(Predicate<Node> filter);

        Optional<Node> node(String name);

        Optional<LiveUpdateNode> lun(String name);

        List<LiveUpdateNode> lunsHeldBy(String planUid);

        List<LiveUpdateNode> lunsWithOutcome(String planUid);

        List<Node> nodesCordonedBy(String planUid);
    }

    private record Parsed(String resourceVersion, LunView view) {
    }

    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Views.BootIdentity bootIdentity;

    public FleetSnapshot(Views.BootIdentity bootIdentity) {
        this.bootIdentity = bootIdentity;
    }

    public List<NodeEntry> entries(LiveUpdate plan, Caches caches) {
        String uid = plan.getMetadata().getUid();
        LabelSelector selector = plan.getSpec().getNodeSelector();
        Predicate<Node> selects = n -> SelectorMatcher.matches(selector, n.getMetadata().getLabels());
        Set<String> names = new LinkedHashSet<>();
        caches.nodes(selects).forEach(n -> names.add(n.getMetadata().getName()));
        caches.lunsHeldBy(uid).forEach(l -> names.add(l.getMetadata().getName()));
        caches.lunsWithOutcome(uid).forEach(l -> names.add(l.getMetadata().getName()));
        caches.nodesCordonedBy(uid).forEach(n -> names.add(n.getMetadata().getName()));
        List<NodeEntry> out = new ArrayList<>(names.size());
        for (String name : names) {
            Node node = caches.node(name).orElse(null);
            LiveUpdateNode lun = caches.lun(name).orElse(null);
            out.add(new NodeEntry(name, node == null ? null : Views.node(node, lun, bootIdentity),
                    lun == null ? null : view(lun), node != null && selects.test(node)));
        }
        if (parsed.size() > 4 * Math.max(1024, names.size())) {
            parsed.clear(); // forget views of objects long gone
        }
        return out;
    }

    private LunView view(LiveUpdateNode lun) {
        String rv = lun.getMetadata().getResourceVersion();
        Parsed p = parsed.get(lun.getMetadata().getName());
        if (p != null && p.resourceVersion().equals(rv)) {
            return p.view();
        }
        LunView v = Views.lun(lun);
        parsed.put(lun.getMetadata().getName(), new Parsed(rv, v));
        return v;
    }

    /** Index functions for the informers, named here so the reconciler and its tests agree. */
    public static final String HOLDER_INDEX = "holder";
    public static final String OUTCOME_INDEX = "outcome";
    public static final String CORDON_INDEX = "cordoned-by";

    public static final Function<LiveUpdateNode, List<String>> HOLDER = l -> l.getSpec() != null
            && l.getSpec().getInstruction() != null && l.getSpec().getInstruction().getPlan() != null
            ? List.of(l.getSpec().getInstruction().getPlan().getUid()) : List.of();

    public static final Function<LiveUpdateNode, List<String>> OUTCOMES = l -> l.getMetadata().getAnnotations() == null
            ? List.of()
            : l.getMetadata().getAnnotations().keySet().stream().filter(k -> k.startsWith(Annotations.OUTCOME_PREFIX))
                    .map(k -> k.substring(Annotations.OUTCOME_PREFIX.length())).toList();

    public static final Function<Node, List<String>> CORDONER = n -> n.getMetadata().getAnnotations() == null
            || n.getMetadata().getAnnotations().get(Annotations.CORDONED_BY) == null ? List.of()
            : List.of(n.getMetadata().getAnnotations().get(Annotations.CORDONED_BY));
}
