package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The only calls {@link ActionExecutor} makes on the API server, so the same write logic runs over a real client
 * ({@link #of}) and over the deterministic simulation's in-memory API server (module {@code simulation}). Failures
 * surface as {@link io.fabric8.kubernetes.client.KubernetesClientException} with the HTTP code, as from Fabric8.
 */
public interface ClusterWrites {
    /** Replaces the object, conditional on its metadata.resourceVersion (409 when the server has another). */
    LiveUpdateNode updateLun(LiveUpdateNode lun);

    /** Applies a JSON merge patch to the Node (a metadata.resourceVersion in the patch is a precondition). */
    Node mergePatchNode(String name, String mergePatch);

    /** A deep copy (the executor never changes a cached object in place). */
    <T> T copy(T object);

    static ClusterWrites of(KubernetesClient client) {
        return new ClusterWrites() {
            @Override
            public LiveUpdateNode updateLun(LiveUpdateNode lun) {
                return client.resource(lun).update();
            }

            @Override
            public Node mergePatchNode(String name, String mergePatch) {
                return client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
            }

            @Override
            public <T> T copy(T object) {
                return client.getKubernetesSerialization().clone(object);
            }
        };
    }
}
