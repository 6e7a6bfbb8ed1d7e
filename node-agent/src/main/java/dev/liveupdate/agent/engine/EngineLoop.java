package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.agent.handoff.WorkloadRequests;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the {@link StepEngine} on one thread: watch events, workload requests and the clock tick
 * are queued and handled one at a time, so the engine needs no locks and its decisions (e.g.
 * "every required session is populated, now reboot") cannot race a concurrent request.
 */
public final class EngineLoop implements WorkloadRequests, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EngineLoop.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final StepEngine engine;
    private final ScheduledExecutorService thread;
    private volatile boolean settled;
    private volatile String phase;

    public EngineLoop(StepEngine engine) {
        this.engine = engine;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-engine");
            t.setDaemon(false);
            return t;
        });
    }

    /** Starts the engine (recovery included) and the periodic tick; returns when start is done. */
    public void start(LiveUpdateNodeStatus lastReported, Duration tick) throws Exception {
        call(() -> {
            engine.start(lastReported);
            snapshot();
            return null;
        });
        thread.scheduleWithFixedDelay(() -> run(engine::tick), tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void onSpec(LiveUpdateNodeSpec spec, Long generation) {
        thread.execute(() -> run(() -> engine.onSpec(spec, generation)));
    }

    public void onDiscardRequest(String planUid) {
        thread.execute(() -> run(() -> engine.onDiscardRequest(planUid)));
    }

    public boolean deviceSettled() {
        return settled;
    }

    /** The last phase the engine reported (for metrics and health, readable from any thread). */
    public String phase() {
        return phase;
    }

    @Override
    public void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
        request(() -> {
            engine.preserve(peer, session, token, fd);
            return null;
        });
    }

    @Override
    public void unpreserve(Peer peer, String session, long token) throws ProtocolException {
        request(() -> {
            engine.unpreserve(peer, session, token);
            return null;
        });
    }

    @Override
    public int retrieve(Peer peer, String session, long token) throws ProtocolException {
        return request(() -> engine.retrieveToSend(peer, session, token));
    }

    @Override
    public void delivered(Peer peer, String session, long token) throws ProtocolException {
        request(() -> {
            engine.delivered(peer, session, token);
            return null;
        });
    }

    @Override
    public StatusReport status(Peer peer, String session) throws ProtocolException {
        return request(() -> engine.status(peer, session));
    }

    private <T> T request(Callable<T> work) throws ProtocolException {
        try {
            return call(work);
        } catch (ProtocolException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new ProtocolException(ErrorCode.BUSY, "the agent is busy (a kernel operation is in progress); retry");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "workload request failed", e);
            throw new ProtocolException(ErrorCode.INTERNAL, e.toString());
        }
    }

    private <T> T call(Callable<T> work) throws Exception {
        Future<T> f = thread.submit(() -> {
            try {
                return work.call();
            } finally {
                snapshot();
            }
        });
        try {
            return f.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // An unexpected failure must not kill the loop: log it and go on with the next input.
            LOG.log(Level.SEVERE, "engine step failed", e);
        } finally {
            snapshot();
        }
    }

    private void snapshot() {
        settled = engine.deviceSettled();
        var p = engine.phase();
        phase = p == null ? null : p.name();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
