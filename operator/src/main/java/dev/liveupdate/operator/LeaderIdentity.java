package dev.liveupdate.operator;

import java.util.Optional;
import java.util.UUID;

/**
 * The name this replica holds the Lease under: the configured one, else the host name (a pod's name, unique among a
 * Deployment's live pods), else a random one. Resolved here rather than left to the library so the log says who leads.
 */
final class LeaderIdentity {
    private LeaderIdentity() {
    }

    static String resolve(Optional<String> configured, String hostname) {
        return configured.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(hostname).filter(s -> !s.isBlank()))
                .orElseGet(() -> UUID.randomUUID().toString());
    }
}
