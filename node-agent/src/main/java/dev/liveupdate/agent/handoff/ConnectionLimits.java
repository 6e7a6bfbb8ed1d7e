package dev.liveupdate.agent.handoff;

import java.util.HashMap;
import java.util.Map;

/** Connections open per owner, so that one pod cannot take every connection the agent serves. Thread-safe. */
final class ConnectionLimits {
    private final int perOwner;
    private final Map<Owner, Integer> open = new HashMap<>();

    ConnectionLimits(int perOwner) {
        if (perOwner < 1) {
            throw new IllegalArgumentException("connections per owner must be at least 1, got " + perOwner);
        }
        this.perOwner = perOwner;
    }

    int perOwner() {
        return perOwner;
    }

    /** Takes one of the owner's connection slots; false when it has all of them. */
    synchronized boolean tryOpen(Owner owner) {
        int n = open.getOrDefault(owner, 0);
        if (n >= perOwner) {
            return false;
        }
        open.put(owner, n + 1);
        return true;
    }

    synchronized void closed(Owner owner) {
        open.computeIfPresent(owner, (o, n) -> n <= 1 ? null : n - 1);
    }

    synchronized int open(Owner owner) {
        return open.getOrDefault(owner, 0);
    }
}
