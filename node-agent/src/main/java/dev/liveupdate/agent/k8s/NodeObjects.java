package dev.liveupdate.agent.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.logging.Logger;

/** This node's LiveUpdateNode: named after the Node, owned by it (garbage-collected with it), created by the agent if missing. */
public final class NodeObjects {
    private static final Logger LOG = Logger.getLogger(NodeObjects.class.getName());

    private final KubernetesClient client;
    private final String nodeName;

    public NodeObjects(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    /**
     * Returns the object, creating it when missing. Without the Node there is no owner to hang it
     * on (and a dangling owner reference would make the garbage collector delete it), so that fails.
     */
    public LiveUpdateNode ensureExists() {
        LiveUpdateNode existing = client.resources(LiveUpdateNode.class).withName(nodeName).get();
        if (existing != null) {
            return existing;
        }
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            throw new IllegalStateException("Node " + nodeName + " does not exist; the LiveUpdateNode is created once the Node is registered");
        }
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(nodeName)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName)
                        .withUid(node.getMetadata().getUid()).build())
                .build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(nodeName);
        lun.setSpec(spec);
        try {
            LiveUpdateNode created = client.resource(lun).create();
            LOG.info(() -> "created LiveUpdateNode " + nodeName + " owned by Node uid " + node.getMetadata().getUid());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return client.resources(LiveUpdateNode.class).withName(nodeName).get();
            }
            throw e;
        }
    }
}
