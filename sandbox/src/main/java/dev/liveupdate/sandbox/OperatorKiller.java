package dev.liveupdate.sandbox;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The {@code kill-operator} fault: SIGKILLs the replica holding the Lease the moment the watch shows the fault's node
 * (or any node) reporting the fault's phase, so the leader dies with the wave in flight. Fires once.
 */
final class OperatorKiller implements AutoCloseable {
    private final Fault fault;
    private final OperatorReplicas replicas;
    private final LeaseHistory lease;
    private final Consumer<String> event;
    private final SharedIndexInformer<LiveUpdateNode> informer;
    private boolean fired;

    OperatorKiller(KubernetesClient client, Fault fault, OperatorReplicas replicas, LeaseHistory lease,
            Consumer<String> event) {
        this.fault = fault;
        this.replicas = replicas;
        this.lease = lease;
        this.event = event;
        informer = client.resources(LiveUpdateNode.class).inform(new AddOrUpdateHandler<>(this::seen), 0);
    }

    private synchronized void seen(LiveUpdateNode lun) {
        if (fired || lun.getStatus() == null || lun.getStatus().getPhase() == null
                || !fault.killsOperatorAt(lun.getMetadata().getName(), lun.getStatus().getPhase().name())) {
            return;
        }
        String leader = lease.holder();
        var replica = leader == null ? java.util.Optional.<OperatorReplicas.Replica>empty() : replicas.byIdentity(leader);
        if (replica.isEmpty()) {
            event.accept("fault kill-operator: " + lun.getMetadata().getName() + " reported " + lun.getStatus().getPhase()
                    + " but no running replica holds the Lease (holder " + leader + "); waiting for the next report");
            return;
        }
        fired = true;
        // Said first: the supervisor reports the replica's exit as soon as it sees it.
        event.accept("fault injected: leader " + leader + " (pid " + replica.get().process().pid() + ") SIGKILLed as "
                + lun.getMetadata().getName() + " reported " + lun.getStatus().getPhase());
        lease.leaderKilled(leader, Instant.now());
        replica.get().process().kill();
    }

    @Override
    public void close() {
        informer.close();
    }
}
