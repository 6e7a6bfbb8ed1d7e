package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * pause, resume and cancel are spec fields of the plan (spec.paused, spec.cancel), not annotations: a JSON merge patch
 * of that one field, so nothing else a pipeline or GitOps tool owns is touched.
 */
final class PlanSpecPatch {
    private PlanSpecPatch() {
    }

    static LiveUpdate get(KubernetesClient client, String name) {
        LiveUpdate plan = client.resources(LiveUpdate.class).withName(name).get();
        if (plan == null) {
            throw CliException.notFound("LiveUpdate " + name + " not found (kubectl get lu lists the plans)");
        }
        return plan;
    }

    static LiveUpdate set(KubernetesClient client, String name, String field, boolean value) {
        String patch = "{\"spec\":{\"" + field + "\":" + value + "}}";
        return client.resources(LiveUpdate.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
