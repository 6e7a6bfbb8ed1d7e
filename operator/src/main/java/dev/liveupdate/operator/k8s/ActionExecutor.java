package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.operator.planning.NodeAction;
import dev.liveupdate.operator.planning.PlanEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Carries out a planner decision against the API server. Every write is conditional on the resourceVersion the
 * decision saw: a LiveUpdateNode is replaced with its cached resourceVersion (optimistic lock), a Node gets a JSON
 * merge patch that carries metadata.resourceVersion (a precondition). A write that loses a race (409), hits a gone
 * object (404) or is refused by a CEL rule (422, e.g. the node is held by another plan) is skipped together with the
 * node's later actions in this pass; the next pass decides again on fresh state.
 */
public final class ActionExecutor {
    private static final Logger LOG = Logger.getLogger(ActionExecutor.class);

    /** How a pass's writes went. */
    public record Result(int applied, int skipped) {
    }

    private final KubernetesClient client;
    private final Function<String, Optional<LiveUpdateNode>> luns;
    private final BiConsumer<LiveUpdate, PlanEvent> events;
    private final BiConsumer<String, Long> blackouts;

    public ActionExecutor(KubernetesClient client, Function<String, Optional<LiveUpdateNode>> luns,
            BiConsumer<LiveUpdate, PlanEvent> events, BiConsumer<String, Long> blackouts) {
        this.client = client;
        this.luns = luns;
        this.events = events;
        this.blackouts = blackouts;
    }

    public Result execute(LiveUpdate plan, List<NodeAction> actions) {
        Set<String> skip = new HashSet<>();
        int applied = 0;
        for (NodeAction a : actions) {
            if (skip.contains(a.node())) {
                continue;
            }
            try {
                apply(plan, a);
                applied++;
                if (a.event() != null) {
                    events.accept(plan, a.event());
                }
                if (a instanceof NodeAction.Release r && r.blackoutMillis() != null) {
                    blackouts.accept(plan.getMetadata().getName(), r.blackoutMillis());
                }
            } catch (StaleException e) {
                skip.add(a.node());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
                    throw e;
                }
                LOG.debugf("plan=%s node=%s action=%s skipped: %d %s", plan.getMetadata().getName(), a.node(),
                        a.getClass().getSimpleName(), e.getCode(), e.getMessage());
                skip.add(a.node());
            }
        }
        return new Result(applied, actions.size() - applied);
    }

    private void apply(LiveUpdate plan, NodeAction a) {
        String uid = plan.getMetadata().getUid();
        if (a instanceof NodeAction.Cordon c) {
            patchNode(c.node(), c.nodeResourceVersion(), "{\"" + "liveupdate.dev/cordoned-by\":\"" + uid + "\"}",
                    "true");
            LOG.infof("plan=%s node=%s cordoned", plan.getMetadata().getName(), c.node());
        } else if (a instanceof NodeAction.Uncordon u) {
            patchNode(u.node(), u.nodeResourceVersion(), "{\"liveupdate.dev/cordoned-by\":null}", "null");
            LOG.infof("plan=%s node=%s uncordoned", plan.getMetadata().getName(), u.node());
        } else if (a instanceof NodeAction.IssueStep is) {
            LiveUpdateNode lun = fresh(is.node(), is.lunResourceVersion());
            lun.getSpec().setInstruction(instruction(plan, is));
            annotations(lun).put(Annotations.LEDGER, LedgerCodec.encode(is.ledger()));
            client.resource(lun).update();
            LOG.infof("plan=%s node=%s step=%s generation=%d", plan.getMetadata().getName(), is.node(), is.step(),
                    plan.getMetadata().getGeneration());
        } else if (a instanceof NodeAction.UpdateLedger ul) {
            LiveUpdateNode lun = fresh(ul.node(), ul.lunResourceVersion());
            annotations(lun).put(Annotations.LEDGER, LedgerCodec.encode(ul.ledger()));
            client.resource(lun).update();
        } else if (a instanceof NodeAction.Release r) {
            LiveUpdateNode lun = fresh(r.node(), r.lunResourceVersion());
            lun.getSpec().setInstruction(null);
            annotations(lun).remove(Annotations.LEDGER);
            if (r.outcome() != null) {
                annotations(lun).put(Annotations.outcomeKey(uid), LedgerCodec.encode(r.outcome()));
            }
            client.resource(lun).update();
            LOG.infof("plan=%s node=%s released outcome=%s", plan.getMetadata().getName(), r.node(),
                    r.outcome() == null ? "none" : r.outcome().result());
        } else if (a instanceof NodeAction.ForgetOutcome f) {
            LiveUpdateNode lun = fresh(f.node(), f.lunResourceVersion());
            annotations(lun).remove(Annotations.outcomeKey(uid));
            client.resource(lun).update();
        }
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
        // The ledger written in the same update says since when; the instruction shows it to kubectl users.
        if (is.ledger() != null && is.ledger().stepSince() != null) {
            in.setIssuedAt(java.time.Instant.ofEpochSecond(is.ledger().stepSince().getEpochSecond()).toString());
        }
        return in;
    }

    /** A copy of the cached object, provided the cache still has the version the decision was made on. */
    private LiveUpdateNode fresh(String name, String expectedVersion) {
        LiveUpdateNode cached = luns.apply(name).orElseThrow(StaleException::new);
        if (!cached.getMetadata().getResourceVersion().equals(expectedVersion)) {
            throw new StaleException();
        }
        LiveUpdateNode copy = client.getKubernetesSerialization().clone(cached);
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

    private void patchNode(String name, String resourceVersion, String annotations, String unschedulable) {
        String patch = "{\"metadata\":{\"resourceVersion\":\"" + resourceVersion + "\",\"annotations\":" + annotations
                + "},\"spec\":{\"unschedulable\":" + unschedulable + "}}";
        client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** The cache moved on since the decision: skip and decide again. */
    private static final class StaleException extends RuntimeException {
        StaleException() {
            super(null, null, false, false);
        }
    }
}
