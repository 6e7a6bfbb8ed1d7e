package dev.liveupdate.agent.k8s;

import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link PlanAuthority} from the API server: three GETs (never the informer's cache, never the instruction's own
 * word): this node's LiveUpdateNode (does it still hold this instruction? who wrote it?), the LiveUpdate it names (same
 * uid, not being deleted) and this Node (does the plan's nodeSelector select its labels, with the operator's
 * {@link SelectorMatcher}). The GETs run on their own thread and the engine waits at most {@code timeout}: a slow API
 * server delays the node's next step, never the engine.
 */
public final class KubePlanAuthority implements PlanAuthority, AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final String nodeName;
    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agent-plan-check");
        t.setDaemon(true);
        return t;
    });

    public KubePlanAuthority(KubernetesClient client, String nodeName, Duration timeout) {
        this.client = client;
        this.nodeName = nodeName;
        this.timeout = timeout;
    }

    @Override
    public Answer confirm(NodeInstruction instruction) {
        Future<Answer> answer = thread.submit(() -> ask(instruction));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return Answer.unconfirmed("the API server did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Answer.unconfirmed("the API server could not be asked: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unconfirmed("interrupted");
        }
    }

    private Answer ask(NodeInstruction held) {
        PlanReference plan = held.getPlan();
        LiveUpdateNode lun = client.resources(LiveUpdateNode.class).withName(nodeName).get();
        NodeInstruction stored = lun == null || lun.getSpec() == null ? null : lun.getSpec().getInstruction();
        if (stored == null || stored.getPlan() == null || !Objects.equals(stored.getPlan().getUid(), plan.getUid())
                || !Objects.equals(stored.getPlan().getGeneration(), plan.getGeneration()) || stored.getStep() != held.getStep()) {
            // The watch is behind the stored object: the instruction the engine holds is not the node's now. Wait for it.
            return Answer.unconfirmed("LiveUpdateNode " + nodeName + " no longer holds this instruction (the watch is behind)");
        }
        String source = InstructionSource.of(lun).orElse(null);
        LiveUpdate lu = client.resources(LiveUpdate.class).withName(plan.getName()).get();
        if (lu == null) {
            return Answer.refused("no LiveUpdate named " + plan.getName() + " exists", source);
        }
        if (!Objects.equals(lu.getMetadata().getUid(), plan.getUid())) {
            return Answer.refused("LiveUpdate " + plan.getName() + " has uid " + lu.getMetadata().getUid() + ", another plan than the instruction's",
                    source);
        }
        if (lu.getMetadata().getDeletionTimestamp() != null) {
            return Answer.refused("LiveUpdate " + plan.getName() + " is being deleted (since " + lu.getMetadata().getDeletionTimestamp() + ")", source);
        }
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            return Answer.unconfirmed("Node " + nodeName + " not found");
        }
        if (lu.getSpec() == null || !SelectorMatcher.matches(lu.getSpec().getNodeSelector(), node.getMetadata().getLabels())) {
            return Answer.refused("LiveUpdate " + plan.getName() + " does not select node " + nodeName + " (its nodeSelector does not match the"
                    + " Node's labels)", source);
        }
        return Answer.confirmed(source);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
