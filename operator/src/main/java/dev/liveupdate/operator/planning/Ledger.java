package dev.liveupdate.operator.planning;

import java.time.Instant;

/**
 * The operator's durable notes about the instruction it wrote into a LiveUpdateNode, kept in one annotation
 * next to the instruction and written in the same request, so that a restarted operator knows what it did.
 * Cleared together with the instruction.
 *
 * @param planUid      plan that wrote it (ignored by any other plan)
 * @param wave         1-based wave the node was started in
 * @param startedAt    when the node got its first Prepared instruction
 * @param stepSince    when the current step was written (timeouts count from here)
 * @param bootBefore   boot ID recorded just before asking for Rebooted (null before that)
 * @param settledAt    when the node reached a staged target (Prepared/Updated) and was left there
 * @param failure      the failure, once recorded
 * @param cancelReason why a Cancelled instruction was written
 * @param prepareRestarts the agent's {@code status.prepareRestarts} the plan last took note of
 *                        ({@link PreparationStartedOver}): each restart restarts the step's clock once
 * @param gateSince    when the node was first verified in the new kernel and its health gates started to count
 *                     ({@link HealthGate}); null without gates or before that
 */
public record Ledger(String planUid, int wave, Instant startedAt, Instant stepSince, String bootBefore,
        Instant settledAt, Failure failure, String cancelReason, int prepareRestarts, Instant gateSince) {

    public Ledger(String planUid, int wave, Instant startedAt, Instant stepSince, String bootBefore, Instant settledAt,
            Failure failure, String cancelReason, int prepareRestarts) {
        this(planUid, wave, startedAt, stepSince, bootBefore, settledAt, failure, cancelReason, prepareRestarts, null);
    }

    public Ledger(String planUid, int wave, Instant startedAt, Instant stepSince, String bootBefore, Instant settledAt,
            Failure failure, String cancelReason) {
        this(planUid, wave, startedAt, stepSince, bootBefore, settledAt, failure, cancelReason, 0, null);
    }

    public Ledger withStep(Instant now) {
        return new Ledger(planUid, wave, startedAt, now, bootBefore, null, failure, cancelReason,
                prepareRestarts, gateSince);
    }

    public Ledger withBootBefore(String boot) {
        return new Ledger(planUid, wave, startedAt, stepSince, boot, settledAt, failure, cancelReason,
                prepareRestarts, gateSince);
    }

    public Ledger withSettledAt(Instant at) {
        return new Ledger(planUid, wave, startedAt, stepSince, bootBefore, at, failure, cancelReason,
                prepareRestarts, gateSince);
    }

    public Ledger withFailure(Failure f) {
        return new Ledger(planUid, wave, startedAt, stepSince, bootBefore, settledAt, f, cancelReason,
                prepareRestarts, gateSince);
    }

    public Ledger withCancelReason(String reason) {
        return new Ledger(planUid, wave, startedAt, stepSince, bootBefore, settledAt, failure, reason,
                prepareRestarts, gateSince);
    }

    public Ledger withPrepareRestarts(int n) {
        return new Ledger(planUid, wave, startedAt, stepSince, bootBefore, settledAt, failure, cancelReason, n,
                gateSince);
    }

    public Ledger withGateSince(Instant at) {
        return new Ledger(planUid, wave, startedAt, stepSince, bootBefore, settledAt, failure, cancelReason,
                prepareRestarts, at);
    }
}
