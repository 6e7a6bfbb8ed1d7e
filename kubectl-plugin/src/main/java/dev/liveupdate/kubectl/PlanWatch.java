package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Informers on one plan and on the LiveUpdateNodes: a snapshot from their caches, and a wait for the next change
 * (any add, update or delete). One list and one watch per kind, however often the view is redrawn.
 */
final class PlanWatch implements AutoCloseable {
    private final LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
    private final SharedIndexInformer<LiveUpdate> plans;
    private final SharedIndexInformer<LiveUpdateNode> nodes;

    PlanWatch(KubernetesClient client, String plan) {
        ResourceEventHandler<Object> signal = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                changes.offer(Boolean.TRUE);
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                changes.offer(Boolean.TRUE);
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                changes.offer(Boolean.TRUE);
            }
        };
        // inform() lists before it returns, so the first snapshot is complete.
        plans = client.resources(LiveUpdate.class).withName(plan).inform(cast(signal));
        nodes = client.resources(LiveUpdateNode.class).inform(cast(signal));
    }

    /** The plan, or null when it is gone. */
    LiveUpdate plan() {
        List<LiveUpdate> l = plans.getStore().list();
        return l.isEmpty() ? null : l.get(0);
    }

    List<LiveUpdateNode> nodes() {
        return nodes.getStore().list();
    }

    /** Waits up to {@code max} for a change; a burst of events counts as one. @return false when none came */
    boolean awaitChange(Duration max) throws InterruptedException {
        Boolean first = changes.poll(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
        changes.clear();
        return first != null;
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    @Override
    public void close() {
        plans.close();
        nodes.close();
    }
}
