package dev.liveupdate.fleetscale;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * A fleet without agents, for the operator's memory at sizes the virtual agents cannot reach on one machine: per node a
 * Node (kept Ready by kwok), a Pod bound to it in the agents' namespace (a DaemonSet's pod: the operator caches them)
 * and a LiveUpdateNode whose status is a copy of what a real agent reported (the template), with the node's own boot
 * ID. One client writes everything, {@code batch} requests in flight at most.
 */
final class StaticFleet {
    private final KubernetesClient client;
    private final LiveUpdateNodeStatus template;
    private final String agentAccount;
    private final int batch;
    private final Consumer<String> progress;

    StaticFleet(KubernetesClient client, LiveUpdateNodeStatus template, String agentAccount, int batch, Consumer<String> progress) {
        this.client = client;
        this.template = template;
        this.agentAccount = agentAccount;
        this.batch = batch;
        this.progress = progress;
    }

    /** Creates nodes {@code from} (inclusive) to {@code to} (exclusive), in batches. */
    void create(int from, int to) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(batch, VirtualFleet.daemon("static-fleet"));
        try {
            for (int start = from; start < to; start += 500) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = start; i < Math.min(to, start + 500); i++) {
                    int index = i;
                    done.add(writers.submit(() -> {
                        createOne(index);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                progress.accept("static fleet: " + Math.min(to, start + 500) + " of " + to + " nodes written");
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private void createOne(int index) {
        String name = FleetScaleOptions.nodeName(index);
        String bootId = UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        String release = template.getInventory().getKernelRelease();
        Node node = client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels(Kwok.LABEL, "true")
                .addToAnnotations("kwok.x-k8s.io/node", "fake").endMetadata()
                .withNewStatus().withNewNodeInfo().withBootID(bootId).withKernelVersion(release)
                .withOperatingSystem("linux").withArchitecture("amd64").withKubeletVersion("kwok").endNodeInfo().endStatus()
                .build()).create();
        client.pods().inNamespace(VirtualFleet.NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName("agent-" + name).withNamespace(VirtualFleet.NAMESPACE)
                .addToLabels("app.kubernetes.io/component", "agent-static").endMetadata()
                .withNewSpec().withNodeName(name).withServiceAccountName(agentAccount).withAutomountServiceAccountToken(false)
                .addNewContainer().withName("agent").withImage("registry.k8s.io/pause:3.10").endContainer().endSpec()
                .build()).create();
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(name)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(name)
                        .withUid(node.getMetadata().getUid()).build())
                .build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        lun.setSpec(spec);
        LiveUpdateNode created = client.resource(lun).create();
        created.setStatus(statusFor(template, bootId, Instant.now()));
        client.resource(created).updateStatus();
    }

    /** The template's report as this node's agent would write it: its own boot ID, reported now. */
    static LiveUpdateNodeStatus statusFor(LiveUpdateNodeStatus template, String bootId, Instant now) {
        LiveUpdateNodeStatus s = Serialization.clone(template);
        s.getInventory().setBootID(bootId);
        s.setLastReportTime(now.toString());
        return s;
    }
}
