package dev.liveupdate.agent.engine;

import java.util.List;

/** Every reboot this node's agent issued, newest last (bounded). Invariant 6 is checked against it. */
public record RebootLedger(List<Entry> reboots) {
    public record Entry(String planName, String planUid, long planGeneration, String bootID, String issuedAt) {
    }

    public boolean rebootedFor(String planUid) {
        return reboots.stream().anyMatch(e -> e.planUid().equals(planUid));
    }

    public java.util.Optional<Entry> latestFor(String planUid) {
        Entry found = null;
        for (Entry e : reboots) {
            if (e.planUid().equals(planUid)) {
                found = e;
            }
        }
        return java.util.Optional.ofNullable(found);
    }
}
