package dev.liveupdate.operator;

import java.time.Duration;

/**
 * The ordering client-go and the Java Operator SDK rely on: retry period < renew deadline < lease duration. Checked at
 * start, so a mistyped value stops the operator with a message instead of two leaders or a leader that never renews.
 */
final class LeaderElectionTimings {
    private LeaderElectionTimings() {
    }

    static void check(Duration lease, Duration renewDeadline, Duration retryPeriod) {
        if (retryPeriod.isZero() || retryPeriod.isNegative()) {
            throw new IllegalArgumentException("liveupdate.leader-election.retry-period must be positive, got " + retryPeriod);
        }
        if (renewDeadline.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("liveupdate.leader-election.renew-deadline (" + renewDeadline
                    + ") must be shorter than lease-duration (" + lease + "): otherwise a standby may take the Lease"
                    + " while the leader still acts");
        }
        if (retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("liveupdate.leader-election.retry-period (" + retryPeriod
                    + ") must be shorter than renew-deadline (" + renewDeadline + "): the leader needs more than one"
                    + " try to renew");
        }
    }
}
