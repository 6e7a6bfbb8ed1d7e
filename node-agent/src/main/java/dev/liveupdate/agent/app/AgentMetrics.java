package dev.liveupdate.agent.app;

import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.agent.handoff.SocketMetrics;
import dev.liveupdate.agent.kernel.KernelCallMetrics;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's Prometheus metrics: phase (one gauge per phase, 1 for the current one), kernel calls
 * by call and result with latencies, socket requests by op and result, the last blackout, and whether a failed
 * restore still holds files.
 */
public final class AgentMetrics implements KernelCallMetrics, SocketMetrics {
    private final MeterRegistry registry;
    private final AtomicReference<String> phase = new AtomicReference<>();
    private final AtomicLong lastBlackoutMillis = new AtomicLong(-1);
    private final AtomicLong heldRestore = new AtomicLong();

    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (NodePhase p : NodePhase.values()) {
            Gauge.builder("liveupdate_agent_phase", phase, ref -> p.name().equals(ref.get()) ? 1 : 0)
                    .tag("phase", p.name()).description("1 for the phase the node's agent reports").register(registry);
        }
        Gauge.builder("liveupdate_agent_last_blackout_seconds", lastBlackoutMillis, v -> v.get() < 0 ? Double.NaN : v.get() / 1000.0)
                .description("Blackout of the last live update: reboot(KEXEC) issued until sessions restored").register(registry);
        Gauge.builder("liveupdate_agent_restore_held", heldRestore, AtomicLong::get)
                .description("1 while the kernel holds the files of a failed restore, until a person releases them").register(registry);
    }

    @Override
    public void record(String call, String result, long nanos) {
        Timer.builder("liveupdate_agent_kernel_calls").tag("call", call).tag("result", result)
                .description("Kernel calls on /dev/liveupdate, kexec and reboot").register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void request(String op, String result) {
        Counter.builder("liveupdate_agent_socket_requests").tag("op", op).tag("result", result)
                .description("Workload socket requests").register(registry).increment();
    }

    /** Called with every status the agent publishes. */
    public void observe(LiveUpdateNodeStatus status) {
        phase.set(status.getPhase() == null ? null : status.getPhase().name());
        heldRestore.set(status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> StepEngine.HELD_RESTORE.equals(c.getType()) && "True".equals(c.getStatus())) ? 1 : 0);
        if (status.getBlackout() != null && status.getBlackout().getDurationMillis() != null) {
            lastBlackoutMillis.set(status.getBlackout().getDurationMillis());
        }
    }
}
