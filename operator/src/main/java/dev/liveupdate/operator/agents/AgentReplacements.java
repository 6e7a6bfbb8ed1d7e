package dev.liveupdate.operator.agents;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which outdated agent pods to delete now (the DaemonSet controller then creates each node's new pod), which wait for
 * their node and why, and how many wait only for the pace. Pure: the caller reads the caches and carries it out.
 *
 * <p>Safety first ({@link NodeSafety}), then the pace ({@link ReplacementPace}): a node counts as unavailable while
 * its agent pod terminates, while no pod of it is Ready, or while a pod deleted here has no successor yet
 * ({@code pending}). An outdated pod that is not Ready is replaced without using the budget (its node is unavailable
 * already, as the DaemonSet controller does under RollingUpdate). A node with more than one agent pod is in the
 * middle of a replacement and is left to finish it.
 */
public final class AgentReplacements {
    private AgentReplacements() {
    }

    /** Delete this pod now. */
    public record Replace(AgentPod pod, String why) {
    }

    /** This outdated pod waits for its node. */
    public record Wait(AgentPod pod, String reason) {
    }

    /**
     * @param paced       outdated pods on safe nodes left for a later pass by the pace
     * @param unavailable nodes counted unavailable after this decision's deletions
     * @param allowed     the pace's limit
     * @param outdated    outdated pods seen
     */
    public record Decision(List<Replace> replace, List<Wait> waiting, int paced, int unavailable, int allowed,
            int outdated) {
        public boolean done() {
            return outdated == 0;
        }
    }

    /**
     * @param pods           the DaemonSet's pods
     * @param reports        a node's LiveUpdateNode report (null when it has none)
     * @param pending        nodes whose agent pod was deleted here and whose new pod has not appeared yet
     * @param maxUnavailable the pace ("1", "10%")
     */
    public static Decision decide(List<AgentPod> pods, Function<String, AgentNodeReport> reports, Set<String> pending,
            String maxUnavailable) {
        Map<String, List<AgentPod>> byNode = new HashMap<>();
        int unbound = 0;
        for (AgentPod p : pods) {
            if (p.node() == null) {
                unbound++;
            } else {
                byNode.computeIfAbsent(p.node(), n -> new ArrayList<>()).add(p);
            }
        }
        Set<String> nodes = new HashSet<>(byNode.keySet());
        nodes.addAll(pending);
        int unavailable = unbound;
        for (String node : nodes) {
            if (unavailable(node, byNode.getOrDefault(node, List.of()), pending)) {
                unavailable++;
            }
        }
        int allowed = ReplacementPace.allowed(maxUnavailable, nodes.size() + unbound);

        List<AgentPod> outdated = pods.stream().filter(AgentPod::outdated)
                .sorted(Comparator.comparing(AgentPod::ready).thenComparing(p -> p.node() == null ? "" : p.node()))
                .toList();
        List<Replace> replace = new ArrayList<>();
        List<Wait> waiting = new ArrayList<>();
        int paced = 0;
        for (AgentPod p : outdated) {
            if (p.node() == null || p.terminating() || pending.contains(p.node())
                    || byNode.get(p.node()).size() > 1) {
                continue; // already being replaced (or not yet on a node)
            }
            AgentNodeReport report = reports.apply(p.node());
            Optional<String> wait = NodeSafety.whyWait(p.node(), report);
            if (wait.isPresent()) {
                waiting.add(new Wait(p, wait.get()));
            } else if (!p.ready()) {
                replace.add(new Replace(p, idle(p.node(), report) + "; the pod is not Ready"));
            } else if (unavailable < allowed) {
                unavailable++;
                replace.add(new Replace(p, idle(p.node(), report)));
            } else {
                paced++;
            }
        }
        return new Decision(List.copyOf(replace), List.copyOf(waiting), paced, unavailable, allowed, outdated.size());
    }

    private static boolean unavailable(String node, List<AgentPod> onNode, Set<String> pending) {
        return pending.contains(node) || onNode.isEmpty() || onNode.stream().anyMatch(AgentPod::terminating)
                || onNode.stream().noneMatch(AgentPod::ready);
    }

    private static String idle(String node, AgentNodeReport r) {
        if (r == null) {
            return node + " has no LiveUpdateNode (its agent never reported)";
        }
        if (r.phase() == null) {
            return node + "'s agent has not reported yet and no plan holds the node";
        }
        return "no plan holds " + node + " and its agent reports " + r.phase() + " with nothing in flight";
    }
}
