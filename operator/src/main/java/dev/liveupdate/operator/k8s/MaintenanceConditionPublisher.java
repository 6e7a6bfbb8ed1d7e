package dev.liveupdate.operator.k8s;

import dev.liveupdate.operator.planning.MaintenanceConditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes the Node lifecycle conditions {@link MaintenanceConditions} decided, one strategic-merge patch of
 * {@code nodes/status} per Node: conditions merge by type, so the kubelet's own conditions and other actors' are left
 * as they are, and a condition of ours that no longer applies is deleted by type. A failed write is logged and
 * retried by the next pass (the decision is level-based); it never stops the plan's own writes.
 */
public final class MaintenanceConditionPublisher {
    private static final Logger LOG = Logger.getLogger(MaintenanceConditionPublisher.class);
    private static final PatchContext STRATEGIC = PatchContext.of(PatchType.STRATEGIC_MERGE);

    /** The one call it makes: a strategic-merge patch of a Node's status subresource. */
    @FunctionalInterface
    public interface NodeStatusWrites {
        void patchStatus(String node, String strategicMergePatch);

        static NodeStatusWrites of(KubernetesClient client) {
            return (node, patch) -> client.nodes().withName(node).subresource("status").patch(STRATEGIC, patch);
        }
    }

    private final NodeStatusWrites writes;
    private final Clock clock;
    private final io.fabric8.kubernetes.client.utils.KubernetesSerialization json;
    private volatile boolean forbiddenReported;

    public MaintenanceConditionPublisher(NodeStatusWrites writes, Clock clock,
            io.fabric8.kubernetes.client.utils.KubernetesSerialization json) {
        this.writes = writes;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Writes every change; returns how many Nodes had a change written or still to retry (a deleted Node and a
     * write the operator is not allowed to make count for neither: nothing will come of retrying them).
     */
    public int publish(List<MaintenanceConditions.Change> changes) {
        int outstanding = 0;
        for (MaintenanceConditions.Change c : changes) {
            try {
                writes.patchStatus(c.node(), patch(c));
                outstanding++;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue; // a Node deleted meanwhile has nothing left to mark
                }
                if (e.getCode() == 403) {
                    forbidden(c.node(), e);
                    continue;
                }
                outstanding++;
                LOG.warnf("node=%s lifecycle conditions not written (retried next pass): %d %s", c.node(),
                        e.getCode(), e.getMessage());
            }
        }
        return outstanding;
    }

    private void forbidden(String node, KubernetesClientException e) {
        if (!forbiddenReported) {
            forbiddenReported = true;
            LOG.errorf("node=%s lifecycle conditions not written: the operator may not patch nodes/status (%s). "
                    + "Grant it (the chart does with operator.nodeLifecycleConditions: true) or turn the conditions "
                    + "off (liveupdate.operator.node-lifecycle-conditions=false)", node, e.getMessage());
        }
    }

    String patch(MaintenanceConditions.Change c) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Map<String, Object>> conditions = new ArrayList<>();
        for (MaintenanceConditions.Condition set : c.set()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", set.type());
            m.put("status", "True");
            m.put("reason", set.reason());
            m.put("message", set.message());
            m.put("lastTransitionTime", now);
            m.put("lastHeartbeatTime", now);
            conditions.add(m);
        }
        for (String type : c.remove()) {
            conditions.add(Map.of("type", type, "$patch", "delete"));
        }
        return json.asJson(Map.of("status", Map.of("conditions", conditions)));
    }
}
