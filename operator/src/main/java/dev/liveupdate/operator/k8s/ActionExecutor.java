package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.operator.planning.NodeAction;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Carries out a planner decision against the API server. Every write is conditional on the resourceVersion the
 * decision saw: a LiveUpdateNode is replaced with its cached resourceVersion (optimistic lock), a Node gets a JSON
 * merge patch that carries metadata.resourceVersion (a precondition). A write that loses a race (409), hits a gone
 * object (404) or is refused by a CEL rule (422, e.g. the node is held by another plan) is skipped together with the
 * node's later actions in this pass; the next pass decides again on fresh state.
 *
 * <p>One pass's writes go out concurrently, one chain per node ({@link NodeWriteChains}): a node's actions stay in
 * the planner's order (its cordon strictly before its {@code Rebooted} instruction, and a failed cordon means no
 * instruction), while different nodes' chains overlap, as many at once as the writers executor allows. The planner
 * makes no decision of one node that depends on another node's write of the same pass (its budget counts only what
 * the caches and {@link ReadYourWrites} showed at the start of the pass). {@link #execute} returns only when every
 * chain has ended, so each write is recorded in {@link ReadYourWrites} before the next pass plans.
 */
public final class ActionExecutor {
    private static final Logger LOG = Logger.getLogger(ActionExecutor.class);

    /** How a pass's writes went. */
    public record Result(int applied, int skipped) {
    }

    private final ClusterWrites client;
    private final FleetSnapshot.Caches caches;
    private final ReadYourWrites written;
    private final BiConsumer<LiveUpdate, PlanEvent> events;
    private final BiConsumer<String, Long> blackouts;
    private final NodeTrimmer trimmer = new NodeTrimmer();
    private final java.util.function.Predicate<String> livePlans;
    private final NodeWriteChains writers;

    /**
     * @param caches the caches the decision was made on (with {@code written} laid over them)
     * @param written where every write is recorded, so the next decision sees it before the informers do
     * @param livePlans whether a plan uid still exists (old outcome annotations of gone plans are dropped)
     */
    public ActionExecutor(KubernetesClient client, FleetSnapshot.Caches caches, ReadYourWrites written,
            java.util.function.Predicate<String> livePlans, BiConsumer<LiveUpdate, PlanEvent> events,
            BiConsumer<String, Long> blackouts) {
        this(ClusterWrites.of(client), caches, written, livePlans, events, blackouts, NodeWriteChains.SEQUENTIAL);
    }

    /** The executor over a real client, with each node's chain of writes run on {@code writers}. */
    public ActionExecutor(KubernetesClient client, FleetSnapshot.Caches caches, ReadYourWrites written,
            java.util.function.Predicate<String> livePlans, BiConsumer<LiveUpdate, PlanEvent> events,
            BiConsumer<String, Long> blackouts, NodeWriteChains writers) {
        this(ClusterWrites.of(client), caches, written, livePlans, events, blackouts, writers);
    }

    /**
     * The same executor over any {@link ClusterWrites} (the deterministic simulation's in-memory API server), writing
     * one action after another in the calling thread.
     */
    public ActionExecutor(ClusterWrites client, FleetSnapshot.Caches caches, ReadYourWrites written,
            java.util.function.Predicate<String> livePlans, BiConsumer<LiveUpdate, PlanEvent> events,
            BiConsumer<String, Long> blackouts) {
        this(client, caches, written, livePlans, events, blackouts, NodeWriteChains.SEQUENTIAL);
    }

    public ActionExecutor(ClusterWrites client, FleetSnapshot.Caches caches, ReadYourWrites written,
            java.util.function.Predicate<String> livePlans, BiConsumer<LiveUpdate, PlanEvent> events,
            BiConsumer<String, Long> blackouts, NodeWriteChains writers) {
        this.writers = writers;
        this.client = client;
        this.livePlans = livePlans;
        this.caches = caches;
        this.written = written;
        this.events = events;
        this.blackouts = blackouts;
    }

    /**
     * Makes the pass's writes and returns when all of them have ended. Events and blackouts of the applied actions
     * are reported afterwards in the planner's order. A failure other than a lost race (e.g. a 5xx or a timeout) stops
     * every chain before its next write and is thrown once the writes already under way have ended.
     */
    public Result execute(LiveUpdate plan, List<NodeAction> actions) {
        NodeWriteChains.Outcome done = writers.run(actions, a -> write(plan, a));
        int applied = 0;
        for (int i = 0; i < actions.size(); i++) {
            if (!done.applied(i)) {
                continue;
            }
            NodeAction a = actions.get(i);
            applied++;
            if (a.event() != null) {
                events.accept(plan, a.event());
            }
            if (a instanceof NodeAction.Release r && r.blackoutMillis() != null) {
                blackouts.accept(plan.getMetadata().getName(), r.blackoutMillis());
            }
        }
        if (done.failure() != null) {
            throw done.failure();
        }
        return new Result(applied, actions.size() - applied);
    }

    /** One write: true when applied, false when it lost a race (the node's later actions are then skipped). */
    private boolean write(LiveUpdate plan, NodeAction a) {
        try {
            apply(plan, a);
            return true;
        } catch (StaleException e) {
            return false;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
            LOG.debugf("plan=%s node=%s action=%s skipped: %d %s", plan.getMetadata().getName(), a.node(),
                    a.getClass().getSimpleName(), e.getCode(), e.getMessage());
            return false;
        }
    }

    private void apply(LiveUpdate plan, NodeAction a) {
        String uid = plan.getMetadata().getUid();
        if (a instanceof NodeAction.Cordon c) {
            patchNode(plan, c.node(), c.nodeResourceVersion(), uid, true);
            LOG.infof("plan=%s node=%s cordoned", plan.getMetadata().getName(), c.node());
        } else if (a instanceof NodeAction.Uncordon u) {
            patchNode(plan, u.node(), u.nodeResourceVersion(), null, false);
            LOG.infof("plan=%s node=%s uncordoned", plan.getMetadata().getName(), u.node());
        } else if (a instanceof NodeAction.IssueStep is) {
            LiveUpdateNode lun = fresh(is.node(), is.lunResourceVersion());
            lun.getSpec().setInstruction(instruction(plan, is));
            annotations(lun).put(Annotations.LEDGER, LedgerCodec.encode(is.ledger()));
            update(plan, lun, is.lunResourceVersion());
            LOG.infof("plan=%s node=%s step=%s generation=%d", plan.getMetadata().getName(), is.node(), is.step(),
                    plan.getMetadata().getGeneration());
        } else if (a instanceof NodeAction.UpdateLedger ul) {
            LiveUpdateNode lun = fresh(ul.node(), ul.lunResourceVersion());
            annotations(lun).put(Annotations.LEDGER, LedgerCodec.encode(ul.ledger()));
            update(plan, lun, ul.lunResourceVersion());
        } else if (a instanceof NodeAction.Release r) {
            LiveUpdateNode lun = fresh(r.node(), r.lunResourceVersion());
            lun.getSpec().setInstruction(null);
            annotations(lun).remove(Annotations.LEDGER);
            if (r.outcome() != null) {
                annotations(lun).put(Annotations.outcomeKey(uid), LedgerCodec.encode(r.outcome()));
            }
            OutcomeHistory.trim(annotations(lun), uid, livePlans);
            update(plan, lun, r.lunResourceVersion());
            LOG.infof("plan=%s node=%s released outcome=%s", plan.getMetadata().getName(), r.node(),
                    r.outcome() == null ? "none" : r.outcome().result());
        } else if (a instanceof NodeAction.SetStage st) {
            LiveUpdateNode lun = fresh(st.node(), st.lunResourceVersion());
            lun.getSpec().setStage(st.stage().isEmpty() ? null : st.stage());
            update(plan, lun, st.lunResourceVersion());
            LOG.debugf("plan=%s node=%s stage=%d artifact(s)", plan.getMetadata().getName(), st.node(), st.stage().size());
        } else if (a instanceof NodeAction.ForgetOutcome f) {
            LiveUpdateNode lun = fresh(f.node(), f.lunResourceVersion());
            annotations(lun).remove(Annotations.outcomeKey(uid));
            update(plan, lun, f.lunResourceVersion());
        }
    }

    /** Replaces the object (optimistic lock on its resourceVersion) and records what the server stored. */
    private void update(LiveUpdate plan, LiveUpdateNode lun, String decidedOn) {
        String by = plan.getMetadata().getName();
        try {
            written.wroteLun(by, decidedOn, client.updateLun(lun));
        } catch (KubernetesClientException e) {
            if (outcomeUnknown(e)) {
                written.wroteLun(by, decidedOn, lun); // may have landed: count it until the cache says otherwise
            }
            throw e;
        }
    }

    /** No HTTP answer (timeout, connection reset) or a 5xx: the write may or may not have been applied. */
    private static boolean outcomeUnknown(KubernetesClientException e) {
        return e.getCode() == 0 || e.getCode() >= 500;
    }

    private static NodeInstruction instruction(LiveUpdate plan, NodeAction.IssueStep is) {
        PlanReference ref = new PlanReference();
        ref.setName(plan.getMetadata().getName());
        ref.setUid(plan.getMetadata().getUid());
        ref.setGeneration(plan.getMetadata().getGeneration());
        NodeInstruction in = new NodeInstruction();
        in.setPlan(ref);
        in.setStep(is.step());
        in.setKernel(plan.getSpec().getKernel());
        in.setSessions(plan.getSpec().getSessions());
        if (plan.getSpec().getTimeouts() != null) {
            in.setPrepareTimeout(plan.getSpec().getTimeouts().getPrepare());
        }
        if (plan.getSpec().getStrategy() != null) {
            in.setMaxPrepareRestarts(plan.getSpec().getStrategy().getMaxPrepareRestarts());
            in.setFreeze(plan.getSpec().getStrategy().getFreeze());
        }
        // The ledger written in the same update says since when; the instruction shows it to kubectl users.
        if (is.ledger() != null && is.ledger().stepSince() != null) {
            in.setIssuedAt(java.time.Instant.ofEpochSecond(is.ledger().stepSince().getEpochSecond()).toString());
        }
        return in;
    }

    /** A copy of the cached object, provided the cache still has the version the decision was made on. */
    private LiveUpdateNode fresh(String name, String expectedVersion) {
        LiveUpdateNode cached = caches.lun(name).orElseThrow(StaleException::new);
        if (!cached.getMetadata().getResourceVersion().equals(expectedVersion)) {
            throw new StaleException();
        }
        LiveUpdateNode copy = client.copy(cached);
        if (copy.getSpec() == null) {
            copy.setSpec(new LiveUpdateNodeSpec());
            copy.getSpec().setNodeName(name);
        }
        return copy;
    }

    private static Map<String, String> annotations(LiveUpdateNode lun) {
        if (lun.getMetadata().getAnnotations() == null) {
            lun.getMetadata().setAnnotations(new HashMap<>());
        }
        return lun.getMetadata().getAnnotations();
    }

    /** Cordons ({@code cordonedBy} = the plan uid) or uncordons (null), conditional on the decided resourceVersion. */
    private void patchNode(LiveUpdate plan, String name, String resourceVersion, String cordonedBy, boolean cordon) {
        String by = plan.getMetadata().getName();
        String patch = "{\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\",\"annotations\":{\""
                + Annotations.CORDONED_BY + "\":" + (cordonedBy == null ? "null" : "\"" + cordonedBy + "\"")
                + "}},\"spec\":{\"unschedulable\":" + (cordon ? "true" : "null") + "}}";
        try {
            written.wroteNode(by, resourceVersion,
                    trimmer.apply(client.mergePatchNode(name, patch)));
        } catch (KubernetesClientException e) {
            // An uncertain cordon counts as done (it may hold budget); an uncertain uncordon does not (counting it would
            // free budget the node may still hold: the simulation's schedule -4482472167024369278 found that).
            if (outcomeUnknown(e) && cordon) {
                caches.node(name).ifPresent(n -> written.wroteNode(by, resourceVersion, intended(n, cordonedBy, cordon)));
            }
            throw e;
        }
    }

    private Node intended(Node cached, String cordonedBy, boolean cordon) {
        Node copy = client.copy(cached);
        Map<String, String> ann = new HashMap<>(copy.getMetadata().getAnnotations() == null ? Map.of()
                : copy.getMetadata().getAnnotations());
        if (cordonedBy == null) {
            ann.remove(Annotations.CORDONED_BY);
        } else {
            ann.put(Annotations.CORDONED_BY, cordonedBy);
        }
        copy.getMetadata().setAnnotations(ann);
        copy.getSpec().setUnschedulable(cordon);
        return copy;
    }

    /** The cache moved on since the decision: skip and decide again. */
    private static final class StaleException extends RuntimeException {
        StaleException() {
            super(null, null, false, false);
        }
    }
}
