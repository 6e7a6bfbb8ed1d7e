package dev.liveupdate.operator.k8s;

import io.fabric8.kubernetes.api.model.Pod;

/** Whether one pod counts as healthy for a health gate, and if not, why in a few words. */
final class PodHealth {
    private PodHealth() {
    }

    /** @return null when healthy (Ready, or ran to completion), else why not */
    static String unhealthy(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return "is being deleted";
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            return null;
        }
        if ("Failed".equals(phase)) {
            String reason = p.getStatus().getReason();
            return "failed" + (reason == null ? "" : " (" + reason + ")");
        }
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready ? null : "is not Ready" + (phase == null ? "" : " (phase " + phase + ")");
    }
}
