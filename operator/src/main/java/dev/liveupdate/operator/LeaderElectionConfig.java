package dev.liveupdate.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Leader election settings, under the names the Helm chart sets ({@code LIVEUPDATE_LEADER_ELECTION_ENABLED},
 * {@code ..._LEASE_NAME}, {@code ..._LEASE_NAMESPACE}).
 */
@ConfigMapping(prefix = "liveupdate.leader-election")
public interface LeaderElectionConfig {
    /** Off for a single replica or a local run (the sandbox); the chart turns it on for replicas > 1. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("liveupdate-operator-leader")
    String leaseName();

    /** Namespace of the Lease; when absent, the namespace of the operator's client (its pod's namespace). */
    Optional<String> leaseNamespace();
}
