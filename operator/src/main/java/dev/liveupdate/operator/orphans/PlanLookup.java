package dev.liveupdate.operator.orphans;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether the plan an instruction names (name and uid) still exists. The informer cache may confirm it, never deny
 * it: a plan created a moment ago may not be in the cache yet, so a miss is settled by a GET at the API server (a
 * quorum read). A uid, once gone, never comes back (a restored or re-applied plan gets a new one), so a "gone" read
 * this way stays true. A plan being deleted still exists: its own finalizer releases its nodes.
 */
public final class PlanLookup {
    private final Function<String, Optional<LiveUpdate>> cached;
    private final Function<String, LiveUpdate> server;

    /**
     * @param cached the informer's plan by name
     * @param server a GET of the plan by name at the API server (null when there is none)
     */
    public PlanLookup(Function<String, Optional<LiveUpdate>> cached, Function<String, LiveUpdate> server) {
        this.cached = cached;
        this.server = server;
    }

    /** Why the plan is gone, or empty when it exists. */
    public Optional<String> whyGone(PlanReference plan) {
        if (cached.apply(plan.getName()).filter(p -> sameUid(p, plan)).isPresent()) {
            return Optional.empty();
        }
        LiveUpdate stored = server.apply(plan.getName());
        if (stored == null) {
            return Optional.of("no LiveUpdate named " + plan.getName() + " exists");
        }
        if (!sameUid(stored, plan)) {
            return Optional.of("LiveUpdate " + plan.getName() + " has uid " + stored.getMetadata().getUid()
                    + ": the instruction's plan was deleted and another was created under its name");
        }
        return Optional.empty();
    }

    private static boolean sameUid(LiveUpdate p, PlanReference plan) {
        return Objects.equals(p.getMetadata().getUid(), plan.getUid());
    }
}
