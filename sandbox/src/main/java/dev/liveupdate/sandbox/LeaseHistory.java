package dev.liveupdate.sandbox;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which operator replica held the leader Lease when, as the API server's watch reported it: the summary's "who led
 * when", and how long a take-over took after the leader was killed.
 */
public final class LeaseHistory implements AutoCloseable {
    /** From {@code at} on, {@code holder} held the Lease. */
    public record Term(Instant at, String holder) {
    }

    private final List<Term> terms = new ArrayList<>();
    private final SharedIndexInformer<Lease> informer;
    private Instant leaderKilledAt;
    private String killed;

    LeaseHistory(KubernetesClient client, String namespace, String name) {
        informer = client.leases().inNamespace(namespace).withName(name).inform(new AddOrUpdateHandler<>(this::seen), 0);
    }

    private synchronized void seen(Lease lease) {
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        if (holder != null && !holder.isBlank() && (terms.isEmpty() || !Objects.equals(holder(), holder))) {
            terms.add(new Term(Instant.now(), holder));
        }
    }

    /** The replica holding the Lease now, as last seen. */
    public synchronized String holder() {
        return terms.isEmpty() ? null : terms.get(terms.size() - 1).holder();
    }

    public synchronized List<Term> terms() {
        return List.copyOf(terms);
    }

    synchronized void leaderKilled(String identity, Instant at) {
        killed = identity;
        leaderKilledAt = at;
    }

    /** The replica the kill-operator fault killed; null before. */
    public synchronized String killedLeader() {
        return killed;
    }

    /** From the kill of the leader to the first term of another replica; empty until that happened. */
    public synchronized Optional<Duration> takeover() {
        if (leaderKilledAt == null) {
            return Optional.empty();
        }
        return terms.stream().filter(t -> !t.at().isBefore(leaderKilledAt) && !t.holder().equals(killed)).findFirst()
                .map(t -> Duration.between(leaderKilledAt, t.at()));
    }

    /** "operator-1 from 2.1s, operator-2 from 31.0s (took over 5.2s after operator-1 was killed)", offsets from origin. */
    public synchronized String describe(Instant origin) {
        if (terms.isEmpty()) {
            return "no replica took the Lease";
        }
        StringBuilder sb = new StringBuilder();
        for (Term t : terms) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t.holder()).append(" from ").append(FleetView.seconds(Duration.between(origin, t.at()).toMillis()));
        }
        takeover().ifPresent(d -> sb.append(" (took over ").append(FleetView.seconds(d.toMillis())).append(" after ")
                .append(killed).append(" was killed)"));
        return sb.toString();
    }

    @Override
    public void close() {
        informer.close();
    }
}
