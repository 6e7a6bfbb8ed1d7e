package dev.liveupdate.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Leader election on a coordination.k8s.io Lease: only the leader reconciles, standbys wait and take over when its
 * lease expires. The Quarkus extension asks for this bean in the profiles listed in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod); producing null switches it off.
 *
 * <p>A standby's informers run from its start (only event processing waits for the Lease), so a take-over starts
 * from warm caches: the new leader's first passes run within a second of acquiring. A leader that cannot renew
 * within the renew deadline exits (the library's default), and its restart comes back as a standby.
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
        String identity = LeaderIdentity.resolve(config.identity(), System.getenv("HOSTNAME"));
        String lease = config.leaseNamespace().orElse("<client namespace>") + "/" + config.leaseName();
        LOG.infof("leader election on Lease %s as %s (lease %s, renew deadline %s, retry %s); standing by until it"
                + " holds the Lease", lease, identity, config.leaseDuration(), config.renewDeadline(), config.retryPeriod());
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> LOG.infof("leader election: %s holds Lease %s and reconciles from now on", identity, lease),
                () -> LOG.warnf("leader election: %s stopped leading on Lease %s (shutting down, or not renewed within"
                        + " %s); exiting, a restart comes back as a standby", identity, lease, config.renewDeadline()),
                leader -> LOG.infof("leader election: Lease %s is held by %s%s", lease, leader,
                        leader.equals(identity) ? " (this replica)" : ""));
        return new LeaderElectionConfiguration(config.leaseName(), config.leaseNamespace().orElse(null),
                config.leaseDuration(), config.renewDeadline(), config.retryPeriod(), identity, callbacks, true);
    }
}
