package dev.liveupdate.operator.k8s;

import dev.liveupdate.operator.planning.NodeAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Runs one pass's writes as one chain per node: a node's actions in the planner's order, each only after the one
 * before it was applied (a cordon that lost its race means no {@code Rebooted} instruction); the chains of different
 * nodes run on the executor, so with a pool of N threads up to N writes are in flight. {@link #run} returns when every
 * chain has ended. Makes a wave of W nodes cost about W / N write latencies per step instead of W.
 */
public final class NodeWriteChains implements AutoCloseable {
    /** The chains one after another in the calling thread (the deterministic simulation; a bound of 1). */
    public static final NodeWriteChains SEQUENTIAL = new NodeWriteChains(Runnable::run, null);

    /**
     * What became of a pass's writes.
     *
     * @param applied per action (by its index in the pass), whether it was applied
     * @param failure the first failure other than a lost race, after which no chain made another write; or null
     */
    public record Outcome(AtomicIntegerArray applied, RuntimeException failure) {
        public boolean applied(int index) {
            return applied.get(index) == 1;
        }
    }

    private final Executor executor;
    private final ExecutorService owned;

    private NodeWriteChains(Executor executor, ExecutorService owned) {
        this.executor = executor;
        this.owned = owned;
    }

    /** Up to {@code maxInFlight} nodes' writes at once, on daemon threads of its own. */
    public static NodeWriteChains bounded(int maxInFlight) {
        if (maxInFlight <= 1) {
            return SEQUENTIAL;
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "liveupdate-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // an idle operator keeps no writer threads
        return new NodeWriteChains(pool, pool);
    }

    /** Chains over any executor (tests). */
    static NodeWriteChains on(Executor executor) {
        return new NodeWriteChains(executor, null);
    }

    /**
     * @param write applies one action: true when applied, false when it lost a race (the node's later actions are
     *              skipped); an exception stops every chain before its next write
     */
    public Outcome run(List<NodeAction> actions, Predicate<NodeAction> write) {
        Map<String, List<Integer>> chains = new LinkedHashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            chains.computeIfAbsent(actions.get(i).node(), k -> new ArrayList<>()).add(i);
        }
        AtomicIntegerArray applied = new AtomicIntegerArray(actions.size());
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> running = new ArrayList<>(chains.size());
        for (List<Integer> chain : chains.values()) {
            Runnable run = () -> {
                for (int i : chain) {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        if (!write.test(actions.get(i))) {
                            return;
                        }
                        applied.set(i, 1);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            };
            try {
                running.add(CompletableFuture.runAsync(run, executor));
            } catch (java.util.concurrent.RejectedExecutionException e) { // shutting down: no further chain starts
                failure.compareAndSet(null, e);
                break;
            }
        }
        // join() is not interruptible: the pass never ends while one of its writes is still under way.
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        return new Outcome(applied, failure.get());
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }
}
