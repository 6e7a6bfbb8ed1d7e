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
        pending.set(null);
        String rv = writer.submit(() -> write(status)).get(30, TimeUnit.SECONDS);
        if (rv == null || rv.isEmpty()) {
            throw new IllegalStateException("the API server returned no resourceVersion for the status write");
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
