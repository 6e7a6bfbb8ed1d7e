package dev.liveupdate.fleetscale;

import dev.liveupdate.luo.Generation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One simulated machine of the fleet: its state on disk, the agent of its current boot, and the kexec played as
 * on a real node: the old agent ends, the node is dark for the configured time, then the kubelet reports the new
 * boot ID on the Node and starts the agent again (with the same pod-bound token: a container restart).
 */
final class VirtualNode {
    enum Fault { NONE, FAIL, STALL }

    private final String name;
    private final Generation generation;
    private final Path dir;
    private final Path kernelDir;
    private final Fault fault;
    private final Duration prepare;
    private final Supplier<KubernetesClient> clients;
    private final VirtualFleet fleet;
    private final AtomicInteger kexecs = new AtomicInteger();
    private volatile VirtualAgent agent;
    private volatile long kexecAtNanos;

    VirtualNode(String name, Generation generation, Path dir, Path kernelDir, Fault fault, Duration prepare,
                Supplier<KubernetesClient> clients, VirtualFleet fleet) {
        this.name = name;
        this.generation = generation;
        this.dir = dir;
        this.kernelDir = kernelDir;
        this.fault = fault;
        this.prepare = prepare;
        this.clients = clients;
        this.fleet = fleet;
    }

    String name() {
        return name;
    }

    Generation generation() {
        return generation;
    }

    Path machineDir() {
        return dir.resolve("machine");
    }

    Path stateDir() {
        return dir.resolve("agent-state");
    }

    /** Where this node's agent looks for kernels: a failing node's directory holds none, so its preparation fails. */
    Path kernelDir() {
        return fault == Fault.FAIL ? dir.resolve("no-kernels") : kernelDir;
    }

    Duration prepareTime() {
        return prepare;
    }

    boolean stalls() {
        return fault == Fault.STALL;
    }

    Fault fault() {
        return fault;
    }

    int kexecs() {
        return kexecs.get();
    }

    VirtualAgent agent() {
        return agent;
    }

    /** Starts the agent of the current boot (first start, or after a kexec). */
    void boot() throws Exception {
        VirtualAgent a = new VirtualAgent(this, clients.get());
        agent = a;
        a.start();
    }

    /** On the engine thread, inside the simulator's reboot: this boot is over. The fleet plays the rest. */
    void onKexec(VirtualAgent ending) {
        kexecs.incrementAndGet();
        kexecAtNanos = System.nanoTime();
        fleet.rebootLater(this, ending);
    }

    long kexecAtNanos() {
        return kexecAtNanos;
    }
}
