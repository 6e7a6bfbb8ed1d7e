package dev.liveupdate.agent.k8s;

import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the agent's report with server-side apply on the status subresource, as the field
 * manager "liveupdate-agent": the agent owns every status field and touches nothing else.
 * Asynchronous writes coalesce (the newest status wins) and are retried until they land, with jittered exponential
 * backoff that honours the API server's Retry-After.
 */
public final class KubeStatusSink implements StatusSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubeStatusSink.class.getName());

    private final KubernetesClient client;
    private final String nodeName;
    private final PatchContext apply;
    private final AtomicReference<LiveUpdateNodeStatus> pending = new AtomicReference<>();
    /** The newest status the engine gave, written or not (what {@link #republish()} writes again). */
    private final AtomicReference<LiveUpdateNodeStatus> newest = new AtomicReference<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "status-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastResourceVersion;
    /** Used on the writer thread only. */
    private final RetryBackoff backoff = RetryBackoff.standard();

    public KubeStatusSink(KubernetesClient client, String nodeName, String fieldManager) {
        this.client = client;
        this.nodeName = nodeName;
        this.apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager).withForce(true).build();
    }

    @Override
    public void publish(LiveUpdateNodeStatus status) {
        newest.set(status);
        if (pending.getAndSet(status) == null) {
            writer.execute(this::drain);
        }
    }

    private void drain() {
        LiveUpdateNodeStatus s = pending.get();
        if (s == null) {
            return;
        }
        try {
            write(s);
            backoff.reset();
            pending.compareAndSet(s, null);
            if (pending.get() != null) {
                writer.execute(this::drain);
            }
        } catch (RuntimeException e) {
            Duration delay = backoff.next(e);
            LOG.log(Level.WARNING, "status write failed; retrying in " + delay.toMillis() + " ms: " + e.getMessage());
            writer.schedule(this::drain, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
        // Through the writer thread, so it cannot be overtaken by an older queued write.
        newest.set(status);
        pending.set(null);
        String rv = writer.submit(() -> write(status)).get(30, TimeUnit.SECONDS);
        if (rv == null || rv.isEmpty()) {
            throw new IllegalStateException("the API server returned no resourceVersion for the status write");
        }
    }

    /**
     * Writes the newest status again: the object was re-created without one (its Node was deleted and registered
     * again, and the garbage collector took the old object), and the engine publishes only what changed, so without
     * this the operator would see a node with no report (NotCapable) until something else changes on it.
     */
    public void republish() {
        LiveUpdateNodeStatus s = newest.get();
        if (s != null && pending.compareAndSet(null, s)) {
            writer.execute(this::drain); // a newer publish meanwhile replaces it in pending: the newest still wins
        }
    }

    private String write(LiveUpdateNodeStatus status) {
        LiveUpdateNode patch = new LiveUpdateNode();
        patch.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
        patch.setStatus(status);
        LiveUpdateNode stored = client.resources(LiveUpdateNode.class).withName(nodeName).subresource("status").patch(apply, patch);
        lastResourceVersion = stored.getMetadata().getResourceVersion();
        return lastResourceVersion;
    }

    public String lastResourceVersion() {
        return lastResourceVersion;
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
