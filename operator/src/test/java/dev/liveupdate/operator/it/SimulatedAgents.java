package dev.liveupdate.operator.it;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.UpdateOutcome;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.api.v1alpha1.Blackout;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test thread that plays the node agents: it creates each node's LiveUpdateNode (owned by the Node) and advances
 * its status one phase per tick according to the instruction, like the real agent: Prepared, then on Rebooted the
 * node goes NotReady and comes back with a new boot ID and the target release (the kubelet's part), Updated,
 * Finished, Cancelled, and Idle when the instruction is cleared. Nodes in {@code failPrepare} fail their prepare.
 */
final class SimulatedAgents implements AutoCloseable {
    private final TestCluster cluster;
    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> nodes = ConcurrentHashMap.newKeySet();
    final Set<String> failPrepare = ConcurrentHashMap.newKeySet();
    /** Nodes whose agent does nothing for now (a hung or stopped agent). */
    final Set<String> silent = ConcurrentHashMap.newKeySet();
    /** Nodes this simulation took through a reboot, with the count (invariant 6: at most one per plan). */
    final Map<String, Integer> reboots = new ConcurrentHashMap<>();
    /** The blackout a node's agent reports after its reboot (status.blackout), when not the default 1.5s. */
    final Map<String, Long> blackoutMillis = new ConcurrentHashMap<>();
    /** Node name to the release it is rebooting into. */
    private final Map<String, String> rebooting = new ConcurrentHashMap<>();

    SimulatedAgents(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    void addNode(String name, Map<String, String> labels) {
        addNode(name, labels, "6.12.0-test");
    }

    /** A node already running {@code release} (kubelet's nodeInfo.kernelVersion and the agent's inventory). */
    void addNode(String name, Map<String, String> labels, String release) {
        Node node = cluster.nodes().create(name, labels);
        if (!"6.12.0-test".equals(release)) {
            node = cluster.nodes().setBootId(name, node.getStatus().getNodeInfo().getBootID(), release);
        }
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(name).withOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("Node").withName(name).withUid(node.getMetadata().getUid()).build())
                .build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        lun.setSpec(spec);
        client.resource(lun).create();
        String bootId = node.getStatus().getNodeInfo().getBootID();
        client.resources(LiveUpdateNode.class).withName(name).editStatus(l -> {
            LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
            s.setPhase(NodePhase.Idle);
            s.setInventory(inventory(bootId, release));
            s.setObservedGeneration(l.getMetadata().getGeneration());
            l.setStatus(s);
            return l;
        });
        nodes.add(name);
    }

    void start() {
        loop.scheduleWithFixedDelay(this::tick, 100, 150, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (String name : nodes) {
            if (silent.contains(name)) {
                continue;
            }
            try {
                step(name);
            } catch (KubernetesClientException e) {
                // a conflict with the operator's write: try again next tick
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private void step(String name) {
        LiveUpdateNode lun = client.resources(LiveUpdateNode.class).withName(name).get();
        if (lun == null) {
            return;
        }
        LiveUpdateNodeStatus s = lun.getStatus();
        NodeInstruction in = lun.getSpec().getInstruction();
        long gen = lun.getMetadata().getGeneration();
        String targetRelease = rebooting.remove(name);
        if (targetRelease != null) {
            // The new kernel is up: the kubelet reports the new boot, the agent reports Updated.
            String boot = UUID.randomUUID().toString();
            cluster.nodes().setBootId(name, boot, targetRelease);
            cluster.nodes().setReady(name, true);
            write(lun, NodePhase.Updated, gen, boot, targetRelease, null);
            return;
        }
        if (in == null) {
            if (s.getPlan() != null) {
                UpdateOutcome o = new UpdateOutcome();
                o.setPlan(s.getPlan());
                o.setResult(s.getPhase() == NodePhase.Finished ? UpdateResult.Finished
                        : s.getPhase() == NodePhase.Failed ? UpdateResult.Failed : UpdateResult.Cancelled);
                client.resources(LiveUpdateNode.class).withName(name).editStatus(l -> {
                    l.getStatus().setLastUpdate(o);
                    l.getStatus().setPlan(null);
                    l.getStatus().setPhase(NodePhase.Idle);
                    l.getStatus().setObservedGeneration(gen);
                    return l;
                });
            }
            return;
        }
        boolean samePlan = s.getPlan() != null && in.getPlan().getUid().equals(s.getPlan().getUid());
        NodePhase p = samePlan ? s.getPhase() : NodePhase.Idle;
        switch (in.getStep()) {
            case Prepared -> {
                if (p == NodePhase.Idle) {
                    write(lun, NodePhase.Preparing, gen, null, null, null);
                } else if (p == NodePhase.Preparing) {
                    write(lun, failPrepare.contains(name) ? NodePhase.Failed : NodePhase.Prepared, gen, null, null,
                            failPrepare.contains(name) ? "ImageNotFound" : null);
                }
            }
            case Rebooted -> {
                if (p == NodePhase.Prepared) {
                    reboots.merge(in.getPlan().getUid() + "/" + name, 1, Integer::sum);
                    write(lun, NodePhase.Rebooting, gen, null, null, null);
                    cluster.nodes().setReady(name, false);
                    rebooting.put(name, in.getKernel().getRelease());
                }
            }
            case Finished -> {
                if (p == NodePhase.Updated) {
                    write(lun, NodePhase.Finished, gen, null, null, null);
                }
            }
            case Cancelled -> {
                if (p != NodePhase.Cancelled && p != NodePhase.Rebooting && p != NodePhase.Updated) {
                    write(lun, NodePhase.Cancelled, gen, null, null, null);
                }
            }
        }
    }

    private void write(LiveUpdateNode lun, NodePhase phase, long gen, String boot, String release, String reason) {
        client.resources(LiveUpdateNode.class).withName(lun.getMetadata().getName()).editStatus(l -> {
            LiveUpdateNodeStatus s = l.getStatus();
            s.setPhase(phase);
            s.setPlan(l.getSpec().getInstruction().getPlan());
            s.setObservedGeneration(gen);
            s.setReason(reason);
            s.setMessage(reason == null ? null : "simulated failure " + reason);
            if (boot != null) {
                s.setInventory(inventory(boot, release));
                Blackout b = new Blackout();
                b.setDurationMillis(blackoutMillis.getOrDefault(lun.getMetadata().getName(), 1500L));
                s.setBlackout(b);
            }
            return l;
        });
    }

    private static NodeInventory inventory(String boot, String release) {
        NodeInventory inv = new NodeInventory();
        inv.setCapable(true);
        inv.setBootID(boot);
        inv.setKernelRelease(release);
        return inv;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
