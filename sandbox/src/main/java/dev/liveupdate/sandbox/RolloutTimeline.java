package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodePhase;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Records, from the API server's point of view, every change of a node's availability and boot, so a test or the
 * sandbox summary can prove the rollout's safety afterwards: how many nodes were unavailable at once (invariant 2)
 * and how often each node booted (invariant 6).
 */
public final class RolloutTimeline implements AutoCloseable {
    /** One observed change. */
    public record Entry(Instant at, String node, String what) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Boolean> cordoned = new HashMap<>();
    private final Map<String, Boolean> notReady = new HashMap<>();
    private final Map<String, Boolean> rebooting = new HashMap<>();
    private final Map<String, String> bootIds = new HashMap<>();
    private final Map<String, Integer> bootChanges = new HashMap<>();
    private final Set<String> tracked;
    private int maxUnavailable;
    private final SharedIndexInformer<Node> nodeInformer;
    private final SharedIndexInformer<LiveUpdateNode> lunInformer;

    public RolloutTimeline(KubernetesClient client, Set<String> nodes) {
        this.tracked = new HashSet<>(nodes);
        nodeInformer = client.nodes().inform(new AddOrUpdateHandler<>(this::onNode), 0);
        lunInformer = client.resources(LiveUpdateNode.class).inform(new AddOrUpdateHandler<>(this::onLun), 0);
    }

    private synchronized void onNode(Node node) {
        String name = node.getMetadata().getName();
        if (!tracked.contains(name)) {
            return;
        }
        boolean isCordoned = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        boolean isNotReady = node.getStatus() == null || node.getStatus().getConditions() == null
                || node.getStatus().getConditions().stream().noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        String boot = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null : node.getStatus().getNodeInfo().getBootID();
        change(name, cordoned, isCordoned, isCordoned ? "cordoned" : "uncordoned");
        change(name, notReady, isNotReady, isNotReady ? "NotReady" : "Ready");
        String before = bootIds.put(name, boot);
        if (before != null && boot != null && !before.equals(boot)) {
            bootChanges.merge(name, 1, Integer::sum);
            record(name, "boot ID changed to " + boot);
        }
    }

    private synchronized void onLun(LiveUpdateNode lun) {
        String name = lun.getMetadata().getName();
        if (!tracked.contains(name) || lun.getStatus() == null) {
            return;
        }
        NodePhase phase = lun.getStatus().getPhase();
        boolean inFlight = phase == NodePhase.Rebooting || phase == NodePhase.Restoring;
        change(name, rebooting, inFlight, "agent phase " + phase);
    }

    private void change(String node, Map<String, Boolean> flags, boolean value, String what) {
        Boolean before = flags.put(node, value);
        if (!Objects.equals(before, value)) {
            record(node, what);
            maxUnavailable = Math.max(maxUnavailable, unavailableNow());
        }
    }

    private int unavailableNow() {
        int n = 0;
        for (String node : tracked) {
            if (cordoned.getOrDefault(node, false) || notReady.getOrDefault(node, false) || rebooting.getOrDefault(node, false)) {
                n++;
            }
        }
        return n;
    }

    private void record(String node, String what) {
        entries.add(new Entry(Instant.now(), node, what));
    }

    /** The most nodes that were unavailable (cordoned, NotReady, or rebooting/restoring) at the same moment. */
    public synchronized int maxUnavailableObserved() {
        return maxUnavailable;
    }

    /** How many times each node's boot ID changed while recording. */
    public synchronized Map<String, Integer> bootChanges() {
        return Map.copyOf(bootChanges);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        nodeInformer.close();
        lunInformer.close();
    }
}
