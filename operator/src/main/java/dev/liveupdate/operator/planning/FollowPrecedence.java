package dev.liveupdate.operator.planning;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of several {@code nodeJoin: Follow} plans takes a free node that more than one of them would take (a node
 * that joins the cluster or their selectors): only the first in this order, so the plans never race for it:
 * <ol>
 *   <li>the newest kernel release (as {@link KernelReleaseOrder} compares them): the node reboots once, into the
 *       release it would end up on anyway (the newer plan would take it after the older one; the release ordering
 *       stops the reverse);</li>
 *   <li>then the oldest plan (metadata.creationTimestamp);</li>
 *   <li>then the plan name.</li>
 * </ol>
 * Every operator pass computes the same order from the plans' specs and metadata alone, so the answer does not
 * depend on which plan is evaluated first. The winner is not asked whether it can start now: a paused or halted winner
 * keeps the node waiting; cancelling or deleting it hands the node to the next. Plans with another nodeJoin policy
 * are not ranked: between them (and with them) the first to write holds the node and the others report a Conflict.
 */
public final class FollowPrecedence {
    static final Comparator<FollowPlan> ORDER = Comparator
            .comparing(FollowPlan::kernelRelease, KernelReleaseOrder.INSTANCE.reversed())
            .thenComparing(FollowPlan::createdAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(FollowPlan::name);
    /** No ranking: every Follow plan takes what its own rules let it. Declared after ORDER, which it uses. */
    public static final FollowPrecedence NONE = new FollowPrecedence(List.of());

    private final List<FollowPlan> plans;

    /** @param plans every live Follow plan the operator knows, the evaluated one included */
    public FollowPrecedence(List<FollowPlan> plans) {
        this.plans = plans.stream().sorted(ORDER).toList();
    }

    /**
     * The plan that takes this free node before plan {@code uid}, if one would take it and ranks higher; empty when
     * {@code uid} may take it (it ranks first among those that would, or it is not a ranked Follow plan).
     */
    public Optional<FollowPlan> before(String uid, NodeView n, LunView lun) {
        if (plans.size() < 2 || plans.stream().noneMatch(p -> p.uid().equals(uid))) {
            return Optional.empty();
        }
        for (FollowPlan p : plans) {
            if (p.uid().equals(uid)) {
                return Optional.empty();
            }
            if (p.wouldTake(n, lun)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
