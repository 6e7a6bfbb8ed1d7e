package dev.liveupdate.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeStep;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The API server where the protocol depends on it: one resourceVersion sequence, optimistic locking (409), the
 * status subresource (a spec write keeps the status and a status write keeps the spec; generation moves with spec
 * only), the CRD's CEL transition rules and the chart's admission policies on LiveUpdateNodes (agent: only its own
 * object, only status, created without an instruction; nobody but the operator changes an instruction or the
 * operator's annotations, except an admin in system:masters), finalizers, owner garbage collection of a Node's
 * LiveUpdateNode, watches, and write faults: refused (500, nothing stored), timed out before or after storing.
 */
final class ApiServer {
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final String FINALIZER = "liveupdate.dev/finalizer";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Who writes (the admission policies depend on it). */
    enum Who { OPERATOR, AGENT, ADMIN, KUBELET }

    /** A write fault armed for the next write of one client. */
    enum WriteFault { REFUSED_500, TIMEOUT_NOT_STORED, TIMEOUT_STORED }

    /** Sees every stored change with the object before and after (the invariant checks hook in here). */
    interface Observer {
        void stored(Who who, String kind, HasMetadata before, HasMetadata after);
    }

    private final VirtualClock clock;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, LiveUpdate> plans = new TreeMap<>();
    private final Map<String, LiveUpdateNode> luns = new TreeMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Map<String, WriteFault> faults = new HashMap<>();
    private final List<Observer> observers = new ArrayList<>();
    private long resourceVersion = 100;
    private long uids;

    ApiServer(VirtualClock clock) {
        this.clock = clock;
    }

    void observe(Observer o) {
        observers.add(o);
    }

    Watch watch(Predicate<Watch.Event> filter) {
        Watch w = new Watch(filter);
        watches.add(w);
        return w;
    }

    void unwatch(Watch w) {
        w.closed = true;
        watches.remove(w);
    }

    /** The next write of {@code client} ("operator", "agent/NODE", "admin") fails this way. */
    void armFault(String client, WriteFault f) {
        faults.put(client, f);
    }

    void clearFaults() {
        faults.clear();
    }

    // ---------------------------------------------------------------- reads (always consistent, as a quorum read)

    Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name)).map(ApiServer::copy);
    }

    Optional<LiveUpdate> plan(String name) {
        return Optional.ofNullable(plans.get(name)).map(ApiServer::copy);
    }

    Optional<LiveUpdateNode> lun(String name) {
        return Optional.ofNullable(luns.get(name)).map(ApiServer::copy);
    }

    List<Node> nodes() {
        return nodes.values().stream().map(ApiServer::copy).toList();
    }

    List<LiveUpdate> plans() {
        return plans.values().stream().map(ApiServer::copy).toList();
    }

    List<LiveUpdateNode> luns() {
        return luns.values().stream().map(ApiServer::copy).toList();
    }

    // ---- the stored objects themselves, for the checks (read only: never change what these return)

    java.util.Collection<Node> nodesView() {
        return java.util.Collections.unmodifiableCollection(nodes.values());
    }

    java.util.Collection<LiveUpdate> plansView() {
        return java.util.Collections.unmodifiableCollection(plans.values());
    }

    java.util.Collection<LiveUpdateNode> lunsView() {
        return java.util.Collections.unmodifiableCollection(luns.values());
    }

    LiveUpdateNode lunView(String name) {
        return luns.get(name);
    }

    Node nodeView(String name) {
        return nodes.get(name);
    }

    LiveUpdate planView(String name) {
        return plans.get(name);
    }

    // ---------------------------------------------------------------- writes

    /** Runs a write under the client's armed fault: refused or timed out before storing, or stored and then timed out. */
    private <T> T write(String client, java.util.function.Supplier<T> store) {
        WriteFault f = faults.remove(client);
        if (f == WriteFault.REFUSED_500) {
            throw new KubernetesClientException(new StatusBuilder().withCode(500).withMessage("injected: etcd unavailable").build());
        }
        if (f == WriteFault.TIMEOUT_NOT_STORED) {
            throw new KubernetesClientException("injected: timeout before the write was stored", 0, null);
        }
        T stored = store.get();
        if (f == WriteFault.TIMEOUT_STORED) {
            throw new KubernetesClientException("injected: timeout after the write was stored", 0, null);
        }
        return stored;
    }

    private static KubernetesClientException error(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    private String nextVersion() {
        return Long.toString(++resourceVersion);
    }

    /**
     * Stored objects are never changed in place (every write stores a new copy), so watchers and observers share them;
     * a watcher that changes what it got (the operator's trimmers) copies it first.
     */
    private <T extends HasMetadata> void publish(Who who, String kind, T before, T after, boolean deleted) {
        HasMetadata shown = deleted ? before : after;
        Watch.Event e = new Watch.Event(kind, shown.getMetadata().getName(), deleted, shown, clock.instant());
        for (Watch w : List.copyOf(watches)) {
            w.offer(e);
        }
        for (Observer o : observers) {
            o.stored(who, kind, before, after);
        }
    }

    /** Operator: replace a LiveUpdateNode (spec and metadata; the status subresource is kept), resourceVersion-locked. */
    LiveUpdateNode updateLun(String client, Who who, LiveUpdateNode desired) {
        return write(client, () -> {
            String name = desired.getMetadata().getName();
            LiveUpdateNode current = luns.get(name);
            if (current == null) {
                throw error(404, "liveupdatenodes " + name + " not found");
            }
            if (!Objects.equals(current.getMetadata().getResourceVersion(), desired.getMetadata().getResourceVersion())) {
                throw error(409, "the object has been modified; please apply your changes to the latest version");
            }
            admitLunUpdate(who, current, desired);
            LiveUpdateNode next = copy(desired);
            next.setStatus(current.getStatus() == null ? null : copy(current).getStatus());
            next.getMetadata().setUid(current.getMetadata().getUid());
            next.getMetadata().setOwnerReferences(current.getMetadata().getOwnerReferences());
            long gen = current.getMetadata().getGeneration();
            next.getMetadata().setGeneration(specJson(current.getSpec()).equals(specJson(next.getSpec())) ? gen : gen + 1);
            next.getMetadata().setResourceVersion(nextVersion());
            luns.put(name, next);
            publish(who, "LiveUpdateNode", current, next, false);
            return copy(next);
        });
    }

    /** The CRD's CEL rules and the chart's instruction policy for a LiveUpdateNode update. */
    private void admitLunUpdate(Who who, LiveUpdateNode old, LiveUpdateNode next) {
        LiveUpdateNodeSpec o = old.getSpec();
        LiveUpdateNodeSpec n = next.getSpec();
        if (!Objects.equals(o.getNodeName(), n.getNodeName())) {
            throw error(422, "nodeName is immutable");
        }
        NodeInstruction oi = o.getInstruction();
        NodeInstruction ni = n.getInstruction();
        if (oi != null && ni != null && !oi.getPlan().getUid().equals(ni.getPlan().getUid())) {
            throw error(422, "this node is held by another LiveUpdate: a plan may write an instruction only into a LiveUpdateNode that"
                    + " carries none (clear spec.instruction first)");
        }
        if (oi != null && ni != null && oi.getStep() == NodeStep.Rebooted && ni.getStep() != NodeStep.Rebooted
                && ni.getStep() != NodeStep.Finished) {
            throw error(422, "a node told to reboot can only be finished next, never prepared again or cancelled");
        }
        if (who == Who.AGENT) {
            throw error(403, "the live-update agent writes only the status of its LiveUpdateNode; spec belongs to the operator");
        }
        if (who != Who.OPERATOR && who != Who.ADMIN) { // ADMIN = system:masters, which the instruction policy exempts
            if (!specJson(o).equals(specJson(n))) {
                throw error(403, "only the live-update operator writes a LiveUpdateNode's spec");
            }
        }
    }

    /** Operator: a JSON merge patch on a Node; metadata.resourceVersion in the patch is a precondition. */
    Node mergePatchNode(String client, Who who, String name, String patch) {
        return write(client, () -> {
            Node current = nodes.get(name);
            if (current == null) {
                throw error(404, "nodes " + name + " not found");
            }
            try {
                ObjectNode target = (ObjectNode) MAPPER.readTree(JSON.asJson(current));
                JsonNode p = MAPPER.readTree(patch);
                JsonNode precondition = p.path("metadata").path("resourceVersion");
                if (!precondition.isMissingNode() && !precondition.asText().equals(current.getMetadata().getResourceVersion())) {
                    throw error(409, "the object has been modified (resourceVersion precondition)");
                }
                merge(target, p);
                Node next = JSON.unmarshal(MAPPER.writeValueAsString(target), Node.class);
                if (!Objects.equals(next.getMetadata().getLabels(), current.getMetadata().getLabels())) {
                    throw error(403, "the live-update operator may not change a Node's labels");
                }
                next.getMetadata().setResourceVersion(nextVersion());
                nodes.put(name, next);
                publish(who, "Node", current, next, false);
                return copy(next);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw error(400, "bad patch: " + e.getMessage());
            }
        });
    }

    /** RFC 7386. */
    private static void merge(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                target.remove(f.getKey());
            } else if (f.getValue().isObject() && target.get(f.getKey()) instanceof ObjectNode child) {
                merge(child, f.getValue());
            } else {
                target.set(f.getKey(), f.getValue().deepCopy());
            }
        });
    }

    /** Agent: creates its own node's object (owned by the Node, without an instruction); 409 when it exists. */
    LiveUpdateNode createLun(String client, String nodeName) {
        return write(client, () -> {
            if (luns.containsKey(nodeName)) {
                throw error(409, "liveupdatenodes " + nodeName + " already exists");
            }
            Node node = nodes.get(nodeName);
            if (node == null) {
                throw error(422, "Node " + nodeName + " does not exist");
            }
            LiveUpdateNode lun = new LiveUpdateNode();
            lun.getMetadata().setName(nodeName);
            lun.getMetadata().setUid("lun-uid-" + (++uids));
            lun.getMetadata().setGeneration(1L);
            lun.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(nodeName).withUid(node.getMetadata().getUid()).build()));
            LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
            spec.setNodeName(nodeName);
            lun.setSpec(spec);
            lun.getMetadata().setResourceVersion(nextVersion());
            luns.put(nodeName, lun);
            publish(Who.AGENT, "LiveUpdateNode", null, lun, false);
            return copy(lun);
        });
    }

    /** Agent: server-side apply (force) of its own object's status subresource: no resourceVersion lock. */
    LiveUpdateNode applyLunStatus(String client, String nodeName, LiveUpdateNodeStatus status) {
        return write(client, () -> {
            LiveUpdateNode current = luns.get(nodeName);
            if (current == null) {
                throw error(404, "liveupdatenodes " + nodeName + " not found");
            }
            LiveUpdateNode next = copy(current);
            next.setStatus(copy(status));
            next.getMetadata().setResourceVersion(nextVersion());
            luns.put(nodeName, next);
            publish(Who.AGENT, "LiveUpdateNode", current, next, false);
            return copy(next);
        });
    }

    /** Admin (system:masters): any change to metadata or spec of a LiveUpdateNode, CEL rules still apply. */
    void editLun(String nodeName, java.util.function.Consumer<LiveUpdateNode> edit) {
        LiveUpdateNode l = luns.get(nodeName);
        if (l != null) {
            LiveUpdateNode next = copy(l);
            edit.accept(next);
            updateLun("admin", Who.ADMIN, next);
        }
    }

    // ---- plans

    LiveUpdate createPlan(String name, LiveUpdateSpec spec) {
        LiveUpdate lu = new LiveUpdate();
        lu.getMetadata().setName(name);
        lu.getMetadata().setUid("plan-uid-" + (++uids));
        lu.getMetadata().setGeneration(1L);
        lu.getMetadata().setCreationTimestamp(clock.instant().toString());
        lu.getMetadata().setFinalizers(List.of(FINALIZER));
        lu.setSpec(copy(spec));
        lu.getMetadata().setResourceVersion(nextVersion());
        plans.put(name, lu);
        publish(Who.ADMIN, "LiveUpdate", null, lu, false);
        return copy(lu);
    }

    /** A user edits the spec (generation + 1); the transition rules are the caller's to respect. */
    void editPlan(String name, java.util.function.Consumer<LiveUpdateSpec> edit) {
        LiveUpdate current = plans.get(name);
        if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        LiveUpdate next = copy(current);
        edit.accept(next.getSpec());
        if (specJson(next.getSpec()).equals(specJson(current.getSpec()))) {
            return;
        }
        next.getMetadata().setGeneration(current.getMetadata().getGeneration() + 1);
        next.getMetadata().setResourceVersion(nextVersion());
        plans.put(name, next);
        publish(Who.ADMIN, "LiveUpdate", current, next, false);
    }

    /** kubectl delete: the finalizer keeps the plan (with a deletion timestamp) until the operator removes it. */
    void deletePlan(String name) {
        LiveUpdate current = plans.get(name);
        if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        LiveUpdate next = copy(current);
        next.getMetadata().setDeletionTimestamp(clock.instant().toString());
        next.getMetadata().setResourceVersion(nextVersion());
        plans.put(name, next);
        publish(Who.ADMIN, "LiveUpdate", current, next, false);
    }

    /** Operator: the status subresource of a plan (a merge patch of status, no lock, as JOSDK's patchStatus). */
    void patchPlanStatus(String client, String name, String uid, LiveUpdateStatus status) {
        write(client, () -> {
            LiveUpdate current = plans.get(name);
            if (current == null || !current.getMetadata().getUid().equals(uid)) {
                throw error(404, "liveupdates " + name + " not found");
            }
            LiveUpdate next = copy(current);
            next.setStatus(copy(status));
            next.getMetadata().setResourceVersion(nextVersion());
            plans.put(name, next);
            publish(Who.OPERATOR, "LiveUpdate", current, next, false);
            return null;
        });
    }

    /** Operator: removes its finalizer; a plan being deleted then goes. */
    void removeFinalizer(String client, String name, String uid) {
        write(client, () -> {
            LiveUpdate current = plans.get(name);
            if (current == null || !current.getMetadata().getUid().equals(uid)) {
                throw error(404, "liveupdates " + name + " not found");
            }
            plans.remove(name);
            publish(Who.OPERATOR, "LiveUpdate", current, null, true);
            return null;
        });
    }

    // ---- nodes (kubelet, admin)

    void putNode(Who who, Node n) {
        Node current = nodes.get(n.getMetadata().getName());
        Node next = copy(n);
        if (current == null) {
            next.getMetadata().setUid("node-uid-" + (++uids));
            next.getMetadata().setCreationTimestamp(clock.instant().toString());
        }
        next.getMetadata().setResourceVersion(nextVersion());
        nodes.put(n.getMetadata().getName(), next);
        publish(who, "Node", current, next, false);
    }

    /** The Node goes, and the garbage collector takes the LiveUpdateNode it owns. */
    void deleteNode(String name) {
        Node current = nodes.remove(name);
        if (current == null) {
            return;
        }
        publish(Who.ADMIN, "Node", current, null, true);
        LiveUpdateNode lun = luns.get(name);
        if (lun != null && lun.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getUid().equals(current.getMetadata().getUid()))) {
            luns.remove(name);
            publish(Who.ADMIN, "LiveUpdateNode", lun, null, true);
        }
    }

    private static String specJson(Object spec) {
        return JSON.asJson(spec);
    }

    static <T> T copy(T o) {
        return o == null ? null : JSON.clone(o);
    }

    String now() {
        return clock.instant().toString();
    }
}
