package dev.liveupdate.operator.k8s;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The operator's own writes, visible to its next decisions before the informers deliver them (safety invariant 2:
 * the unavailability budget is a property of a set of objects, and a pass that read a cache without its own last
 * cordon could admit one node too many).
 *
 * <p>Every write is conditional on the resourceVersion it was decided on, so "the cache still shows that version"
 * means exactly "the cache does not show our write yet": the object we wrote stands in for it. As soon as the cache
 * shows any other version (ours or a later one, since ours was conditional) the entry is dropped. A write whose outcome
 * is unknown (a timeout) stands in the same way, so an uncertain cordon counts against the budget; every entry expires
 * after {@link #MAX_AGE}, far beyond any informer lag, so a write that never landed is not remembered for ever.
 *
 * <p>The age is measured on a monotonic clock: a wall-clock step (NTP, a host whose clock was set by hand) moves
 * neither the informers nor the API server, so it must not make the overlay forget a cordon the cache has not
 * delivered yet (the whole-protocol simulation found that: a 25-minute jump, then a second plan's reboot over the
 * first plan's not yet cached cordon).
 */
public final class ReadYourWrites {
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /**
     * @param behind the versions that mean the cache does not show this write yet: the one it was decided on, and when
     *               that was our previous write still laid over the cache, every version that one stood in for (the
     *               cache may still show the object from before the first of them)
     */
    private record Written<T extends HasMetadata>(java.util.Set<String> behind, T object, long atNanos, String plan) {
    }

    private final Map<String, Written<Node>> nodes = new ConcurrentHashMap<>();
    private final Map<String, Written<LiveUpdateNode>> luns = new ConcurrentHashMap<>();
    private final LongSupplier monotonicNanos;

    /** @param monotonicNanos a clock that only moves forward with elapsed time ({@code System::nanoTime}) */
    public ReadYourWrites(LongSupplier monotonicNanos) {
        this.monotonicNanos = monotonicNanos;
    }

    /**
     * A Node write of plan {@code plan}, decided on {@code decidedOn} (the cached resourceVersion), as the server
     * returned it.
     */
    public void wroteNode(String plan, String decidedOn, Node stored) {
        nodes.compute(stored.getMetadata().getName(), (name, previous) -> written(previous, plan, decidedOn, stored));
    }

    public void wroteLun(String plan, String decidedOn, LiveUpdateNode stored) {
        luns.compute(stored.getMetadata().getName(), (name, previous) -> written(previous, plan, decidedOn, stored));
    }

    /** A write decided on our previous write (laid over a cache that lags both) stands in for everything that one did. */
    private <T extends HasMetadata> Written<T> written(Written<T> previous, String plan, String decidedOn, T stored) {
        java.util.Set<String> behind = new java.util.HashSet<>();
        behind.add(decidedOn);
        if (previous != null && decidedOn.equals(previous.object().getMetadata().getResourceVersion())) {
            behind.addAll(previous.behind());
        }
        return new Written<>(java.util.Set.copyOf(behind), stored, monotonicNanos.getAsLong(), plan);
    }

    /**
     * The plan whose write this object version is, if it is one of ours: its watch event tells that plan nothing
     * new (it already decided with the write counted), so it does not wake it; other plans are still woken.
     */
    public Optional<String> writer(HasMetadata object) {
        Map<String, ? extends Written<?>> m = object instanceof Node ? nodes : object instanceof LiveUpdateNode ? luns : Map.of();
        Written<?> w = m.get(object.getMetadata().getName());
        return w != null && Objects.equals(w.object().getMetadata().getResourceVersion(),
                object.getMetadata().getResourceVersion()) ? Optional.ofNullable(w.plan()) : Optional.empty();
    }

    /** The caches with this operator's own recent writes laid over them. */
    public FleetSnapshot.Caches over(FleetSnapshot.Caches cached) {
        return new FleetSnapshot.Caches() {
            @Override
            public Stream<Node> nodes(Predicate<Node> filter) {
                return cached.nodes(n -> true).map(n -> newest(nodes, n)).filter(filter);
            }

            @Override
            public Optional<Node> node(String name) {
                return cached.node(name).map(n -> newest(nodes, n));
            }

            @Override
            public Optional<LiveUpdateNode> lun(String name) {
                return cached.lun(name).map(l -> newest(luns, l));
            }

            @Override
            public List<LiveUpdateNode> lunsHeldBy(String planUid) {
                return indexed(luns, cached.lunsHeldBy(planUid), cached::lun, FleetSnapshot.HOLDER, planUid);
            }

            @Override
            public List<LiveUpdateNode> lunsWithOutcome(String planUid) {
                return indexed(luns, cached.lunsWithOutcome(planUid), cached::lun, FleetSnapshot.OUTCOMES, planUid);
            }

            @Override
            public List<Node> nodesCordonedBy(String planUid) {
                return indexed(nodes, cached.nodesCordonedBy(planUid), cached::node, FleetSnapshot.CORDONER, planUid);
            }
        };
    }

    /** Our written object while the cache still shows the version it was decided on; else the cached one. */
    private <T extends HasMetadata> T newest(Map<String, Written<T>> written, T cached) {
        String name = cached.getMetadata().getName();
        Written<T> w = written.get(name);
        if (w == null) {
            return cached;
        }
        boolean cacheBehind = w.behind().contains(cached.getMetadata().getResourceVersion());
        if (cacheBehind && monotonicNanos.getAsLong() - w.atNanos() < MAX_AGE.toNanos()) {
            return w.object();
        }
        written.remove(name, w);
        return cached;
    }

    /** An index lookup corrected for our writes: what we wrote into or out of the index counts at once. */
    private <T extends HasMetadata> List<T> indexed(Map<String, Written<T>> written, List<T> fromIndex,
            Function<String, Optional<T>> cachedByName, Function<T, List<String>> index, String key) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T t : fromIndex) {
            T current = newest(written, t);
            if (index.apply(current).contains(key)) {
                out.put(current.getMetadata().getName(), current);
            }
        }
        for (String name : new ArrayList<>(written.keySet())) {
            if (!out.containsKey(name)) {
                cachedByName.apply(name).map(c -> newest(written, c))
                        .filter(c -> index.apply(c).contains(key))
                        .ifPresent(c -> out.put(name, c));
            }
        }
        return List.copyOf(out.values());
    }

    int remembered() {
        return nodes.size() + luns.size();
    }
}
