package dev.liveupdate.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Leader election on a coordination.k8s.io Lease: only the leader reconciles, standbys wait. Active in the prod
 * profile (quarkus.operator-sdk.activate-leader-election-for-profiles); the Lease lives in the operator's namespace
 * unless liveupdate.operator.lease-namespace says otherwise.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public LeaderElection(OperatorConfig config) {
        super(config.leaseName(), config.leaseNamespace().orElse(null));
    }
}
