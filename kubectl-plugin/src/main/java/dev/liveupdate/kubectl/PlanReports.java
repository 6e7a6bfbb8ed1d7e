package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Builds a {@link PlanReport} from a plan and the fleet's LiveUpdateNodes (pure), or fetches both first. */
final class PlanReports {
    private PlanReports() {
    }

    static PlanReport fetch(KubernetesClient client, String name) {
        LiveUpdate plan = client.resources(LiveUpdate.class).withName(name).get();
        if (plan == null) {
            throw CliException.notFound("LiveUpdate " + name + " not found (kubectl get lu lists the plans)");
        }
        List<LiveUpdateNode> luns = client.resources(LiveUpdateNode.class).list().getItems();
        return of(plan, luns);
    }

    static PlanReport of(LiveUpdate plan, List<LiveUpdateNode> luns) {
        String uid = plan.getMetadata().getUid();
        LiveUpdateSpec spec = plan.getSpec() == null ? new LiveUpdateSpec() : plan.getSpec();
        LiveUpdateStatus st = plan.getStatus() == null ? new LiveUpdateStatus() : plan.getStatus();
        List<NodeRow> rows = NodeRows.of(uid, luns);
        String target = spec.getTargetPhase() == null ? "Finished" : spec.getTargetPhase().name();
        String kernel = spec.getKernel() == null ? null : spec.getKernel().getRelease();
        return new PlanReport(plan.getMetadata().getName(), uid, st.getPhase() == null ? "Pending" : st.getPhase().name(),
                target, kernel, Boolean.TRUE.equals(spec.getPaused()), Boolean.TRUE.equals(spec.getCancel()),
                st.getProgress(), st.getCurrentWave(), st.getStartTime(), st.getCompletionTime(), st.getMessage(),
                st.getNodeCounts(), RolloutHolds.of(plan, luns, rows),
                st.getFailedNodes() == null ? List.of() : st.getFailedNodes(), st.getFailedNodesOmitted(),
                st.getBlackout(), rows);
    }
}
