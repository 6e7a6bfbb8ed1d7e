package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeJoinPolicy;
import dev.liveupdate.api.v1alpha1.PlanPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Which plans an event on a Node or a LiveUpdateNode concerns: the plans whose selector matches the Node, the plan
 * holding its LiveUpdateNode, and the plan that cordoned it. Plans are few, so matching every plan's selector per
 * event is cheap; the caches are read, never the API server.
 *
 * <p>Two kinds of event wake less: a plan in a terminal phase (Succeeded, Cancelled, Failed) is woken only for nodes
 * it still holds or cordoned, not for every change of a node its selector matches (its periodic resync remains); and
 * the plan whose own write an event reports is not woken by it (it decided with that write counted, see
 * {@link ReadYourWrites}, and schedules its own follow-up pass), while other plans are.
 */
public final class PlanMappers {
    private final Supplier<Stream<LiveUpdate>> plans;
    private final Function<String, Optional<Node>> nodes;
    private final Function<String, Optional<LiveUpdateNode>> luns;
    private final Function<HasMetadata, Optional<String>> writer;

    public PlanMappers(Supplier<Stream<LiveUpdate>> plans, Function<String, Optional<Node>> nodes,
            Function<String, Optional<LiveUpdateNode>> luns, Function<HasMetadata, Optional<String>> writer) {
        this.plans = plans;
        this.nodes = nodes;
        this.luns = luns;
        this.writer = writer;
    }

    public Set<ResourceID> forNode(Node node) {
        Set<ResourceID> out = new HashSet<>();
        Map<String, String> ann = node.getMetadata().getAnnotations();
        String cordoner = ann == null ? null : ann.get(Annotations.CORDONED_BY);
        plans.get().forEach(p -> {
            if (!terminal(p) && SelectorMatcher.matches(p.getSpec().getNodeSelector(), node.getMetadata().getLabels())
                    || p.getMetadata().getUid().equals(cordoner)) {
                out.add(ResourceID.fromResource(p));
            }
        });
        luns.apply(node.getMetadata().getName()).ifPresent(l -> holder(l).ifPresent(out::add));
        return withoutWriter(out, node);
    }

    public Set<ResourceID> forLun(LiveUpdateNode lun) {
        Set<ResourceID> out = new HashSet<>();
        holder(lun).ifPresent(out::add);
        nodes.apply(lun.getMetadata().getName()).ifPresent(n -> plans.get().forEach(p -> {
            if (!terminal(p) && SelectorMatcher.matches(p.getSpec().getNodeSelector(), n.getMetadata().getLabels())) {
                out.add(ResourceID.fromResource(p));
            }
        }));
        return withoutWriter(out, lun);
    }

    private Set<ResourceID> withoutWriter(Set<ResourceID> plansToWake, HasMetadata object) {
        writer.apply(object).ifPresent(name -> plansToWake.remove(new ResourceID(name)));
        return plansToWake;
    }

    /**
     * A plan that can no longer move on its own: node events tell it nothing (deletion and spec edits still do). A
     * plan with nodeJoin Follow is never terminal here: it keeps joining nodes at its target.
     */
    static boolean terminal(LiveUpdate p) {
        PlanPhase phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return p.getMetadata().getDeletionTimestamp() == null && p.getSpec().getNodeJoin() != NodeJoinPolicy.Follow
                && (phase == PlanPhase.Succeeded || phase == PlanPhase.Cancelled || phase == PlanPhase.Failed);
    }

    private static Optional<ResourceID> holder(LiveUpdateNode l) {
        if (l.getSpec() == null || l.getSpec().getInstruction() == null
                || l.getSpec().getInstruction().getPlan() == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceID(l.getSpec().getInstruction().getPlan().getName()));
    }
}
