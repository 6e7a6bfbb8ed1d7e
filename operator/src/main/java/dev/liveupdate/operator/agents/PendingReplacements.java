package dev.liveupdate.operator.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Nodes whose agent pod this operator deleted and whose new pod has not appeared yet. Between the old pod's end and
 * the DaemonSet controller's creation of the next, the node has no agent pod at all, and the pods alone would not show
 * that it is unavailable: without this memory a pass woken by that very deletion would spend the pace again.
 * A node stays here until a pod other than the deleted one is on it, or for {@link #LIMIT} (the DaemonSet may no
 * longer want a pod there). In memory only: a new leader starts empty, which can at most let one pace's worth of
 * pods go early.
 */
public final class PendingReplacements {
    static final Duration LIMIT = Duration.ofMinutes(2);

    private record Deleted(String pod, Instant at) {
    }

    private final Map<String, Deleted> byNode = new HashMap<>();
    private final Clock clock;

    public PendingReplacements(Clock clock) {
        this.clock = clock;
    }

    public synchronized void deleted(String node, String pod) {
        byNode.put(node, new Deleted(pod, clock.instant()));
    }

    /** The nodes still waiting for their new pod, given the DaemonSet's pods now; forgets the rest. */
    public synchronized Set<String> stillPending(Collection<AgentPod> pods) {
        Instant now = clock.instant();
        byNode.entrySet().removeIf(e -> now.isAfter(e.getValue().at().plus(LIMIT)) || pods.stream()
                .anyMatch(p -> e.getKey().equals(p.node()) && !p.name().equals(e.getValue().pod())));
        return Set.copyOf(byNode.keySet());
    }

    public synchronized boolean isEmpty() {
        return byNode.isEmpty();
    }

    @Override
    public synchronized String toString() {
        return byNode.keySet().stream().sorted().collect(Collectors.joining(","));
    }
}
