package dev.liveupdate.agent.handoff;

import java.util.Objects;

/**
 * Who a file handed to the agent belongs to (safety invariant 10): only its owner may list, retrieve, discard or
 * replace it.
 *
 * <ul>
 *   <li>{@link Kind#POD}: a peer in a Kubernetes pod is that pod, by UID, whatever process or uid in the pod connects.
 *       The kubelet keeps a pod's UID for the pod's life, across container restarts and node reboots (a kexec
 *       included), so the same pod finds its files after the update.</li>
 *   <li>{@link Kind#HOST}: a peer in no pod (a host service, the sandbox, a test) is its uid together with its cgroup
 *       (e.g. {@code /system.slice/vmm.service}): two services of one uid do not see each other's files, and a
 *       systemd unit keeps its cgroup across restarts and reboots.</li>
 *   <li>{@link Kind#UNKNOWN}: a file whose owner was not recorded (the agent's state dir lost its update record);
 *       it matches no peer, so nobody takes it by accident.</li>
 * </ul>
 *
 * @param podUid the pod's UID (POD only)
 * @param uid    the peer's uid (HOST only)
 * @param cgroup the peer's cgroup path as the agent reads it (HOST only)
 */
public record Owner(Kind kind, String podUid, long uid, String cgroup) {
    public enum Kind { POD, HOST, UNKNOWN }

    public static final Owner UNKNOWN = new Owner(Kind.UNKNOWN, null, -1, null);
    /** The cgroup of every process on a kernel without cgroups (there the uid alone tells host owners apart). */
    public static final String NO_CGROUPS = "";

    public Owner {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.POD && (podUid == null || podUid.isBlank())) {
            throw new IllegalArgumentException("a pod owner needs the pod's UID");
        }
        if (kind == Kind.HOST && cgroup == null) {
            throw new IllegalArgumentException("a host owner needs its cgroup");
        }
    }

    public static Owner pod(String podUid) {
        return new Owner(Kind.POD, podUid, -1, null);
    }

    public static Owner host(long uid, String cgroup) {
        return new Owner(Kind.HOST, null, uid, cgroup);
    }

    /** Whether {@code other} is this owner. An unknown owner is nobody, not even another unknown one. */
    public boolean matches(Owner other) {
        return kind != Kind.UNKNOWN && equals(other);
    }

    public boolean isPod() {
        return kind == Kind.POD;
    }

    /** The form kept on the host disk with the update record: {@code pod:<uid>}, {@code host:<uid>:<cgroup>}, {@code unknown}. */
    public String key() {
        return switch (kind) {
            case POD -> "pod:" + podUid;
            case HOST -> "host:" + uid + ":" + cgroup;
            case UNKNOWN -> "unknown";
        };
    }

    /** Reads {@link #key()}; anything else (absent in an older record, damaged) is {@link #UNKNOWN}. */
    public static Owner fromKey(String key) {
        if (key == null) {
            return UNKNOWN;
        }
        if (key.startsWith("pod:") && key.length() > 4) {
            return pod(key.substring(4));
        }
        if (key.startsWith("host:")) {
            String[] parts = key.split(":", 3);
            if (parts.length == 3) {
                try {
                    return host(Long.parseLong(parts[1]), parts[2]);
                } catch (NumberFormatException e) {
                    return UNKNOWN;
                }
            }
        }
        return UNKNOWN;
    }

    /** For people: "pod 1f0c...", "host uid 0 in cgroup /system.slice/vmm.service". */
    @Override
    public String toString() {
        return switch (kind) {
            case POD -> "pod " + podUid;
            case HOST -> "host uid " + uid + (cgroup.isEmpty() ? " (a kernel without cgroups)" : " in cgroup " + cgroup);
            case UNKNOWN -> "an unrecorded owner";
        };
    }
}
