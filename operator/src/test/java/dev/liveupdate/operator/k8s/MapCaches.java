package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The informer caches as two maps a test fills, with the same index functions the informers use. */
record MapCaches(Map<String, Node> nodes, Map<String, LiveUpdateNode> luns) implements FleetSnapshot.Caches {

    @Override
    public Stream<Node> nodes(Predicate<Node> filter) {
        return nodes.values().stream().filter(filter);
    }

    @Override
    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    @Override
    public Optional<LiveUpdateNode> lun(String name) {
        return Optional.ofNullable(luns.get(name));
    }

    @Override
    public List<LiveUpdateNode> lunsHeldBy(String uid) {
        return luns.values().stream().filter(l -> FleetSnapshot.HOLDER.apply(l).contains(uid)).toList();
    }

    @Override
    public List<LiveUpdateNode> lunsWithOutcome(String uid) {
        return luns.values().stream().filter(l -> FleetSnapshot.OUTCOMES.apply(l).contains(uid)).toList();
    }

    @Override
    public List<Node> nodesCordonedBy(String uid) {
        return nodes.values().stream().filter(n -> FleetSnapshot.CORDONER.apply(n).contains(uid)).toList();
    }
}
