package dev.liveupdate.simulation;

import com.sun.jna.Pointer;
import dev.liveupdate.agent.engine.EngineSettings;
import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.agent.engine.Kexec;
import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.agent.engine.StepEngine;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.api.SelectorMatcher;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.RebootStrategy;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One agent process on one simulated machine: the real {@link StepEngine} over a {@link SimulatedKernel} instance,
 * a status sink that writes to the in-memory server when the scheduler lets it (a crash loses what was not written),
 * a watch on its own LiveUpdateNode, and kernel calls that can kill the process right after any call returns.
 */
final class SimAgent {
    /** The process was killed (an injected crash inside a kernel call). */
    static final class Died extends RuntimeException {
        Died() {
            super("agent process killed right after a kernel call", null, false, false);
        }
    }

    /** The simulated kernel kexec'd: this process and the old kernel are gone. */
    static final class Kexeced extends RuntimeException {
        Kexeced() {
            super("kexec", null, false, false);
        }
    }

    /** What the harness checks at the two calls that matter: reboot(KEXEC) and FINISH. */
    interface KernelWatch {
        void beforeKexec(SimAgent agent);

        void beforeFinish(SimAgent agent);
    }

    interface EngineAction<T> {
        T run() throws ProtocolException;
    }

    final String node;
    final ApiServer api;
    final SimulatedKernel sim;
    final StepEngine engine;
    private final Watch watch;
    private LiveUpdateNodeStatus pending;
    /** The newest status the engine gave (KubeStatusSink.republish writes it again after a re-creation). */
    private LiveUpdateNodeStatus newest;
    /** When the unwritten status became pending (null while nothing is). */
    private java.time.Instant pendingSince;
    boolean dead;
    boolean kexeced;
    /** Kernel calls before the process dies (-1: none armed). */
    int callsBeforeDeath = -1;
    /** An engine call threw something no agent should: the harness reports it. */
    RuntimeException unexpected;
    private final String client;
    private final VirtualClock clock;

    SimAgent(SimHost host, ApiServer api, VirtualClock clock, KernelWatch kernelWatch) {
        this.node = host.name;
        this.clock = clock;
        this.api = api;
        this.client = "agent/" + node;
        this.sim = SimulatedKernel.builder(host.machineDir, host.generation).exitAction(status -> {
            throw new Kexeced();
        }).build();
        KernelCalls calls = new ForwardingKernelCalls(sim) {
            @Override
            public int ioctl(int fd, long request, Pointer arg) {
                alive();
                if (host.generation == Generation.A ? request == LuoAbi.A.SET_EVENT && arg.getInt(4) == LuoEvent.FINISH.value()
                        : request == LuoAbi.B.FINISH) {
                    kernelWatch.beforeFinish(SimAgent.this);
                }
                int r = delegate.ioctl(fd, request, arg);
                countDown();
                return r;
            }

            @Override
            public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
                alive();
                delegate.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
                countDown();
            }

            @Override
            public void reboot(int cmd) {
                alive();
                if (cmd == KernelCalls.LINUX_REBOOT_CMD_KEXEC) {
                    kernelWatch.beforeKexec(SimAgent.this);
                }
                delegate.reboot(cmd);
            }
        };
        EngineSettings settings = new EngineSettings(node, Path.of("/dev/liveupdate"), host.agentDir, RebootStrategy.Simulated, "sim")
                .withKernelDirs(List.of(host.bootDir));
        StatusSink sink = new StatusSink() {
            @Override
            public void publish(LiveUpdateNodeStatus status) {
                if (!dead) {
                    if (pending == null) {
                        pendingSince = clock.instant();
                    }
                    pending = ApiServer.copy(status);
                    newest = pending;
                }
            }

            @Override
            public void publishAndWait(LiveUpdateNodeStatus status) {
                alive();
                newest = ApiServer.copy(status);
                api.applyLunStatus(client, node, status);
                pending = null;
                pendingSince = null;
            }
        };
        this.engine = new StepEngine(settings, calls, sim.hostInfo(), Kexec.through(calls), sink, EventSink.NONE, clock,
                this::confirm, OwnerPresence.UNKNOWN);
        this.watch = api.watch(e -> e.kind().equals("LiveUpdateNode") && e.name().equals(node));
    }

    private void alive() {
        if (dead) {
            throw new Died();
        }
    }

    private void countDown() {
        if (callsBeforeDeath > 0 && --callsBeforeDeath == 0) {
            dead = true;
            throw new Died();
        }
    }

    /** Start-up: the object (created if missing, as NodeObjects does), recovery from its last status, the first spec. */
    boolean start() {
        LiveUpdateNode lun = api.lun(node).orElse(null);
        if (lun == null) {
            if (api.node(node).isEmpty()) {
                return false; // the real agent retries until its Node is registered
            }
            lun = api.createLun(client, node);
        }
        LiveUpdateNode seen = lun;
        engineRun(() -> {
            engine.start(seen.getStatus());
            engine.onSpec(seen.getSpec(), seen.getMetadata().getGeneration());
        });
        return true;
    }

    boolean hasEvents() {
        return watch.hasPending();
    }

    void deliver(Random rnd) {
        Watch.Event e = watch.next(rnd);
        if (e.deleted()) {
            // As NodeObjectWatcher.onDelete: no instruction any more; AgentLifecycle then re-creates the object (the
            // scheduler's "ensure" step, which succeeds once the Node is back).
            engineRun(() -> engine.onSpec(null, null));
            return;
        }
        LiveUpdateNode l = (LiveUpdateNode) e.object();
        engineRun(() -> engine.onSpec(ApiServer.copy(l.getSpec()), l.getMetadata().getGeneration()));
    }

    /** The object is gone (its Node was deleted) and the Node is back: create it again. */
    void ensureObject() {
        if (api.lun(node).isEmpty() && api.node(node).isPresent()) {
            try {
                api.createLun(client, node);
                // As AgentLifecycle: KubeStatusSink.republish after the re-creation.
                if (pending == null && newest != null) {
                    pending = newest;
                    pendingSince = clock.instant();
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // a refused write: NodeObjects tries again on its next pass, as this action will
            }
        }
    }

    /** Since when this process has had work it has not done (an undelivered watch event, an unwritten status), or null. */
    java.time.Instant oldestWork() {
        java.time.Instant e = watch.oldest();
        return e == null ? pendingSince : pendingSince == null || e.isBefore(pendingSince) ? e : pendingSince;
    }

    boolean hasPendingStatus() {
        return pending != null;
    }

    /** The asynchronous status write lands (or fails and stays pending). */
    void flush() {
        LiveUpdateNodeStatus s = pending;
        if (s == null || dead) {
            return;
        }
        try {
            api.applyLunStatus(client, node, s);
            if (pending == s) {
                pending = null;
                pendingSince = null;
            }
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            // retried with backoff, as KubeStatusSink does
        }
    }

    void tick() {
        engineRun(engine::tick);
    }

    /** Runs an engine input; a kexec or an injected death ends the process, anything else is recorded as a finding. */
    <T> T engineCall(EngineAction<T> action) throws ProtocolException {
        if (dead || kexeced) {
            throw new ProtocolException(dev.liveupdate.client.protocol.ErrorCode.BUSY, "agent not running");
        }
        try {
            T r = action.run();
            if (dead) {
                throw new ProtocolException(dev.liveupdate.client.protocol.ErrorCode.BUSY, "agent died");
            }
            return r;
        } catch (Kexeced k) {
            kexeced = true;
            throw new ProtocolException(dev.liveupdate.client.protocol.ErrorCode.BUSY, "kexec");
        } catch (Died d) {
            dead = true;
            throw new ProtocolException(dev.liveupdate.client.protocol.ErrorCode.BUSY, "agent died");
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof Kexeced) {
                kexeced = true;
            } else if (e.getCause() instanceof Died || dead) {
                dead = true;
            } else if (unexpected == null) {
                unexpected = e;
            }
            throw new ProtocolException(dev.liveupdate.client.protocol.ErrorCode.INTERNAL, String.valueOf(e));
        }
    }

    /** Same as above for inputs that give nothing back. */
    void engineRun(Runnable r) {
        try {
            engineCall(() -> {
                r.run();
                return null;
            });
        } catch (ProtocolException e) {
            // the harness looks at dead / kexeced / unexpected
        }
    }

    /** The process ends (crash, kill, kexec): the kernel closes its fds, the watch goes, the unwritten status is lost. */
    void stop() {
        dead = true;
        pending = null;
        pendingSince = null;
        api.unwatch(watch);
        if (!sim.halted()) {
            sim.simulateProcessDeath();
        }
    }

    /** Invariant 8 as the agent asks it: the same questions as KubePlanAuthority, answered by the in-memory server. */
    private PlanAuthority.Answer confirm(NodeInstruction held) {
        LiveUpdateNode lun = api.lunView(node);
        NodeInstruction stored = lun == null || lun.getSpec() == null ? null : lun.getSpec().getInstruction();
        if (stored == null || !Objects.equals(stored.getPlan().getUid(), held.getPlan().getUid())
                || !Objects.equals(stored.getPlan().getGeneration(), held.getPlan().getGeneration()) || stored.getStep() != held.getStep()) {
            return PlanAuthority.Answer.unconfirmed("the watch is behind");
        }
        LiveUpdate lu = api.planView(held.getPlan().getName());
        if (lu == null) {
            return PlanAuthority.Answer.refused("no LiveUpdate named " + held.getPlan().getName() + " exists", null);
        }
        if (!Objects.equals(lu.getMetadata().getUid(), held.getPlan().getUid())) {
            return PlanAuthority.Answer.refused("LiveUpdate " + held.getPlan().getName() + " is another plan", null);
        }
        if (lu.getMetadata().getDeletionTimestamp() != null) {
            return PlanAuthority.Answer.refused("LiveUpdate " + held.getPlan().getName() + " is being deleted", null);
        }
        Node n = api.nodeView(node);
        if (n == null) {
            return PlanAuthority.Answer.unconfirmed("Node " + node + " not found");
        }
        if (!SelectorMatcher.matches(lu.getSpec().getNodeSelector(), n.getMetadata().getLabels())) {
            return PlanAuthority.Answer.refused("LiveUpdate " + held.getPlan().getName() + " does not select node " + node, null);
        }
        return PlanAuthority.Answer.confirmed("operator");
    }
}
