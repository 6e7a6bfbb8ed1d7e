package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Fault injection for the simulator: once a status reporting the chosen phase has been stored by the API server, the
 * process ends at once (no shutdown hooks, no cleanup), as a SIGKILL or an OOM kill would end it. Deterministic,
 * unlike a kill from outside that races the agent's next step.
 *
 * <p>{@code Preparing} stands for the first report of a preparation: a run whose workloads handed their files over
 * before the plan came prepares in one pass and never reports Preparing on its own, so the first stored Prepared
 * counts too (the sessions exist then, which is what a kill "while preparing" is meant to cost).
 */
public final class HaltAfterPhase implements StatusSink {
    private static final Logger LOG = Logger.getLogger(HaltAfterPhase.class.getName());
    /** The exit status of a process ended by SIGKILL. */
    public static final int KILLED = 137;

    private final StatusSink delegate;
    private final NodePhase phase;
    private final IntConsumer halt;

    public HaltAfterPhase(StatusSink delegate, NodePhase phase, IntConsumer halt) {
        this.delegate = delegate;
        this.phase = phase;
        this.halt = halt;
    }

    /** Parses the configured phase name, case-insensitively, with the valid names in the error. */
    public static NodePhase parsePhase(String text) {
        for (NodePhase p : NodePhase.values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("halt-after-phase '" + text + "' is not a LiveUpdateNode phase; use one of "
                + java.util.Arrays.toString(NodePhase.values()));
    }

    @Override
    public void publish(LiveUpdateNodeStatus status) {
        if (!matches(status)) {
            delegate.publish(status);
            return;
        }
        try {
            publishAndWait(status);
        } catch (Exception e) {
            // Not stored: no halt, the next report of the phase tries again.
            delegate.publish(status);
        }
    }

    @Override
    public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
        delegate.publishAndWait(status);
        if (matches(status)) {
            LOG.severe("fault injection: status " + status.getPhase() + " stored; the agent dies now (halt-after-phase=" + phase + ")");
            halt.accept(KILLED);
        }
    }

    private boolean matches(LiveUpdateNodeStatus status) {
        return status.getPhase() == phase || phase == NodePhase.Preparing && status.getPhase() == NodePhase.Prepared;
    }
}
