package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Node objects without a kubelet. Status (Ready condition, nodeInfo.bootID, kernelVersion) goes through the status
 * subresource like a kubelet would write it. Nothing refreshes heartbeats; the test cluster does not run the
 * node-lifecycle controller, so a node stays as you set it.
 */
public final class FakeNodes {
    /** Added by the TaintNodesByCondition admission plugin to every new Node; a kubelet-less node would keep it. */
    static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

    private final KubernetesClient client;

    FakeNodes(KubernetesClient client) {
        this.client = client;
    }

    /** Creates a Ready node with these labels and a random boot ID. */
    public Node create(String name, Map<String, String> labels) {
        return create(name, labels, UUID.randomUUID().toString());
    }

    /** Creates a Ready node with these labels and boot ID (kernel version "6.12.0-test"). */
    public Node create(String name, Map<String, String> labels, String bootId) {
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .build()).create();
        removeNotReadyTaint(name);
        return retryOnConflict(() -> client.nodes().withName(name).editStatus(n -> {
            n.getStatus().setConditions(new ArrayList<>(List.of(ready(true))));
            NodeSystemInfo info = n.getStatus().getNodeInfo() != null ? n.getStatus().getNodeInfo() : new NodeSystemInfo();
            info.setBootID(bootId);
            info.setKernelVersion("6.12.0-test");
            info.setOperatingSystem("linux");
            info.setArchitecture("amd64");
            n.getStatus().setNodeInfo(info);
            return n;
        }));
    }

    /** Sets the Ready condition to True or False. */
    public Node setReady(String name, boolean ready) {
        return retryOnConflict(() -> client.nodes().withName(name).editStatus(n -> {
            List<NodeCondition> conditions = new ArrayList<>(n.getStatus().getConditions());
            conditions.removeIf(c -> "Ready".equals(c.getType()));
            conditions.add(ready(ready));
            n.getStatus().setConditions(conditions);
            return n;
        }));
    }

    /** Sets status.nodeInfo.bootID, as a kubelet does after a (kexec) reboot; optionally the kernel version too. */
    public Node setBootId(String name, String bootId, String kernelVersion) {
        return retryOnConflict(() -> client.nodes().withName(name).editStatus(n -> {
            n.getStatus().getNodeInfo().setBootID(bootId);
            if (kernelVersion != null) {
                n.getStatus().getNodeInfo().setKernelVersion(kernelVersion);
            }
            return n;
        }));
    }

    public Node get(String name) {
        return client.nodes().withName(name).get();
    }

    private void removeNotReadyTaint(String name) {
        retryOnConflict(() -> client.nodes().withName(name).edit(n -> {
            if (n.getSpec() != null && n.getSpec().getTaints() != null) {
                n.getSpec().getTaints().removeIf(t -> NOT_READY_TAINT.equals(t.getKey()));
            }
            return n;
        }));
    }

    /**
     * Runs a read-modify-write again when it lost a race (409): the operator patches the same Node (cordon) with a
     * resourceVersion precondition while tests and the sandbox play the kubelet.
     */
    static <T> T retryOnConflict(java.util.function.Supplier<T> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return edit.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private static NodeCondition ready(boolean ready) {
        String now = Instant.now().toString();
        return new NodeConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(ready ? "fake node is ready" : "fake node set NotReady by the test")
                .withLastHeartbeatTime(now)
                .withLastTransitionTime(now)
                .build();
    }
}
