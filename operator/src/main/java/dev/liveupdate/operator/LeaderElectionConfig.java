package dev.liveupdate.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election settings, under the names the Helm chart sets ({@code LIVEUPDATE_LEADER_ELECTION_ENABLED},
 * {@code ..._LEASE_NAME}, {@code ..._LEASE_NAMESPACE}, {@code ..._LEASE_DURATION}, {@code ..._RENEW_DEADLINE},
 * {@code ..._RETRY_PERIOD}).
 *
 * <p>The timings default to what OpenShift recommends for control-plane operators (137 s / 107 s / 26 s) rather than
 * the library's 15 s / 10 s / 2 s: a leader that cannot renew within the renew deadline stops and its process exits,
 * and the restart relists every Node and LiveUpdateNode. With the library's timings a 10 s API-server stall (an etcd
 * compaction, a control-plane upgrade) costs that; with these, the leader survives a stall of up to 107 s. The price
 * is a slower take-over after a crash (at most the lease duration), which a rollout measured in minutes per wave
 * does not notice.
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

    /**
     * This replica's name in the Lease ({@code holderIdentity}); when absent, the HOSTNAME environment variable (a
     * pod's name), else a random UUID. Two live replicas must never share one: a replica that finds its own name in
     * the Lease renews it as its own. The chart sets the pod's name; the sandbox, whose replicas share a host,
     * sets operator-1, operator-2, ...
     */
    Optional<String> identity();

    /** How long a standby waits after the last renewal before it takes the Lease. */
    @WithDefault("137s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leadership (and exits); below leaseDuration. */
    @WithDefault("107s")
    Duration renewDeadline();

    /** Period of renewal and acquisition attempts; well below renewDeadline so several tries fit in it. */
    @WithDefault("26s")
    Duration retryPeriod();
}
