package dev.liveupdate.simulation;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.HostInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.nio.file.Path;
import java.util.Map;

/**
 * One machine: its simulated kernel's state (which survives agent processes and kexecs), the agent's host state
 * directory, its workload, and the kubelet's view of it (the Node object: Ready, boot ID, kernel release).
 */
final class SimHost {
    final String name;
    final Generation generation;
    final Path machineDir;
    final Path agentDir;
    final Path bootDir;
    final String pool;
    final SimWorkload workload;
    /** The machine-wide view of the simulated kernel (boot ID, release, the workload's memfds); never opens the device. */
    SimulatedKernel machine;
    SimAgent agent;
    /** Its VM pod is not Ready (what the plan's pod health gate looks at); flipped by the schedule's faults phase. */
    boolean vmPodUnready;
    /** Kexec'd, and the kubelet has not reported the new boot yet. */
    boolean rebooting;
    /** The Node object was deleted and the kubelet has not registered it again. */
    boolean nodeDeleted;
    /** Agent crashes since the last kexec (a restore cut short by one may lose files, with a record). */
    int agentDeathsSinceKexec;
    boolean everKexeced;

    SimHost(String name, Generation generation, Path root, Path bootDir, String pool, java.util.Random rnd) {
        this.name = name;
        this.generation = generation;
        this.machineDir = root.resolve(name).resolve("machine");
        this.agentDir = root.resolve(name).resolve("agent");
        this.bootDir = bootDir;
        this.pool = pool;
        this.machine = SimulatedKernel.builder(machineDir, generation).build();
        this.workload = new SimWorkload(name, rnd, machine);
    }

    HostInfo host() {
        return machine.hostInfo();
    }

    /** The kubelet registers or updates the Node: Ready, this boot's ID and release, labels; cordon state kept. */
    void report(ApiServer api, boolean ready) {
        Node current = api.node(name).orElse(null);
        NodeBuilder b = current == null ? new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("pool", pool, "kubernetes.io/hostname", name)).endMetadata().withNewSpec().endSpec()
                : new NodeBuilder(current);
        HostInfo h = host();
        Node n = b.editOrNewStatus().withConditions(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                        .withType("Ready").withStatus(ready ? "True" : "False").build())
                .editOrNewNodeInfo().withBootID(h.bootId()).withKernelVersion(h.kernelRelease()).endNodeInfo().endStatus().build();
        api.putNode(ApiServer.Who.KUBELET, n);
    }

    /** After a kexec: the machine runs the new kernel; a fresh view of it. */
    void rebooted() {
        machine = SimulatedKernel.builder(machineDir, generation).build();
    }
}
