package dev.liveupdate.fleetscale;

import dev.liveupdate.agent.engine.EngineLoop;
import dev.liveupdate.agent.engine.EngineSettings;
import dev.liveupdate.agent.engine.Kexec;
import dev.liveupdate.agent.engine.KernelPolicy;
import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.agent.engine.WorkloadLimits;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.agent.k8s.KubeEvents;
import dev.liveupdate.agent.k8s.KubePlanAuthority;
import dev.liveupdate.agent.k8s.KubeStatusSink;
import dev.liveupdate.agent.k8s.NodeObjectWatcher;
import dev.liveupdate.agent.k8s.NodeObjects;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One boot of one node's agent, in this JVM: the agent's own {@link StepEngine} on its {@link EngineLoop}, its
 * {@link KubeStatusSink}, {@link KubeEvents}, {@link KubePlanAuthority} and {@link NodeObjectWatcher}, wired as
 * {@code AgentLifecycle} wires them in cluster mode, over the simulator and a client authenticated by this node's
 * pod-bound token. What differs from the process: the simulator's kexec ends this object instead of the JVM (its
 * {@code exitAction}, made for exactly this), the kernel load takes the configured preparation time, and a stalled
 * agent never starts its watch.
 */
final class VirtualAgent implements AutoCloseable {
    /** Thrown by the simulator's exit action: unwinds the engine thread the way the end of the process would. */
    static final class KexecHappened extends Error {
        KexecHappened() {
            super("simulated kexec: the old kernel ended this virtual agent", null, false, false);
        }
    }

    private static final Duration TICK = Duration.ofSeconds(1);

    private final VirtualNode node;
    private final KubernetesClient client;
    private EngineLoop loop;
    private KubeStatusSink sink;
    private KubeEvents events;
    private KubePlanAuthority plans;
    private NodeObjectWatcher watcher;

    VirtualAgent(VirtualNode node, KubernetesClient client) {
        this.node = node;
        this.client = client;
    }

    void start() throws Exception {
        String name = node.name();
        SimulatedKernel sim = SimulatedKernel.builder(node.machineDir(), node.generation())
                .exitAction(status -> {
                    node.onKexec(this);
                    // The old kernel is gone, and a real agent process with it: this engine thread must never take
                    // another queued input (a tick, a watch event) of the old boot. It waits here until close()
                    // interrupts it (shutdownNow drops the queue), then unwinds.
                    while (!Thread.currentThread().isInterrupted()) {
                        LockSupport.park(this);
                    }
                    throw new KexecHappened();
                }).build();
        KernelCalls calls = new SlowKernelLoad(sim, node.prepareTime());
        sink = new KubeStatusSink(client, name, "liveupdate-agent");
        events = new KubeEvents(client, name, Clock.systemUTC());
        plans = new KubePlanAuthority(client, name, KubePlanAuthority.DEFAULT_TIMEOUT);
        StepEngine engine = new StepEngine(new EngineSettings(name, Path.of("/dev/liveupdate"), node.stateDir(), RebootStrategy.Simulated,
                "fleet-scale", Path.of("/"), List.of(node.kernelDir()), KernelPolicy.DEFAULT, WorkloadLimits.DEFAULT),
                calls, sim.hostInfo(), Kexec.through(calls), sink, events, Clock.systemUTC(), plans, OwnerPresence.UNKNOWN);
        NodeObjects objects = new NodeObjects(client, name);
        LiveUpdateNode lun = objects.ensureExists();
        events.setObjectUid(lun.getMetadata().getUid());
        loop = new EngineLoop(engine);
        loop.start(lun.getStatus(), TICK);
        if (!node.stalls()) {
            watcher = new NodeObjectWatcher(client, name, loop, gone -> objects.ensureExists());
            watcher.start();
        }
    }

    boolean watching() {
        return watcher != null && watcher.isWatching();
    }

    /** Stops this boot's agent; after a kexec it is called from another thread while the engine thread waits in the kexec. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (events != null) {
            events.close();
        }
        if (plans != null) {
            plans.close();
        }
        client.close();
    }

    /** The preparation's time is spent where a real node spends most of it: loading the kernel (not on unload). */
    private static final class SlowKernelLoad extends ForwardingKernelCalls {
        private final Duration prepare;

        SlowKernelLoad(KernelCalls delegate, Duration prepare) {
            super(delegate);
            this.prepare = prepare;
        }

        @Override
        public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
            if ((flags & KernelCalls.KEXEC_FILE_UNLOAD) == 0 && !prepare.isZero()) {
                try {
                    Thread.sleep(prepare.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
        }
    }
}
