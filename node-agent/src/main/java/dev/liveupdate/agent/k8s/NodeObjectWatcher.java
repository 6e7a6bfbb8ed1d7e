package dev.liveupdate.agent.k8s;

import dev.liveupdate.agent.engine.EngineLoop;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches exactly one object: this node's LiveUpdateNode, selected server-side by
 * metadata.name (so the informer's cache never holds another node's object), and feeds its spec
 * to the engine.
 */
public final class NodeObjectWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeObjectWatcher.class.getName());

    private final KubernetesClient client;
    private final String nodeName;
    private final EngineLoop loop;
    private final Consumer<LiveUpdateNode> onDeleted;
    private SharedIndexInformer<LiveUpdateNode> informer;

    public NodeObjectWatcher(KubernetesClient client, String nodeName, EngineLoop loop, Consumer<LiveUpdateNode> onDeleted) {
        this.client = client;
        this.nodeName = nodeName;
        this.loop = loop;
        this.onDeleted = onDeleted;
    }

    public void start() {
        informer = client.resources(LiveUpdateNode.class).withField("metadata.name", nodeName).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(LiveUpdateNode obj) {
                loop.onSpec(obj.getSpec(), obj.getMetadata().getGeneration());
                loop.onDiscardRequest(discardRequest(obj));
            }

            @Override
            public void onUpdate(LiveUpdateNode oldObj, LiveUpdateNode newObj) {
                if (!java.util.Objects.equals(oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration())) {
                    loop.onSpec(newObj.getSpec(), newObj.getMetadata().getGeneration());
                }
                if (!java.util.Objects.equals(discardRequest(oldObj), discardRequest(newObj))) {
                    loop.onDiscardRequest(discardRequest(newObj));
                }
            }

            @Override
            public void onDelete(LiveUpdateNode obj, boolean deletedFinalStateUnknown) {
                LOG.warning(() -> "LiveUpdateNode " + nodeName + " was deleted");
                loop.onSpec(null, null);
                onDeleted.accept(obj);
            }
        }, 0);
        LOG.info(() -> "watching LiveUpdateNode " + nodeName + " (fieldSelector metadata.name=" + nodeName + ")");
    }

    /** A person's request to discard a failed restore: the annotation's value (a plan uid), or null. */
    static String discardRequest(LiveUpdateNode lun) {
        java.util.Map<String, String> a = lun.getMetadata().getAnnotations();
        return a == null ? null : a.get(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION);
    }

    /** The watch is established and its cache synced. */
    public boolean isWatching() {
        return informer != null && informer.isRunning() && informer.hasSynced();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
