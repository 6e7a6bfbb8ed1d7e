package dev.liveupdate.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Leader election on a coordination.k8s.io Lease: only the leader reconciles, standbys wait and take over when its
 * lease expires. The Quarkus extension asks for this bean in the profiles listed in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod); producing null switches it off.
 */
@Dependent
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(LeaderElectionConfig config) {
        if (!config.enabled()) {
            LOG.info("leader election is off: this instance reconciles on its own");
            return null;
        }
        LeaderElectionTimings.check(config.leaseDuration(), config.renewDeadline(), config.retryPeriod());
        LOG.infof("leader election on Lease %s/%s (lease %s, renew deadline %s, retry %s)",
                config.leaseNamespace().orElse("<client namespace>"), config.leaseName(), config.leaseDuration(),
                config.renewDeadline(), config.retryPeriod());
        return new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace().orElse(null),
                config.leaseDuration(), config.renewDeadline(), config.retryPeriod());
    }
}
