package dev.liveupdate.agent.handoff;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod UID in a cgroup path, as the kubelet names pod cgroups with either cgroup driver, on cgroup v1 and v2:
 *
 * <ul>
 *   <li>cgroupfs: {@code /kubepods/burstable/pod<uid>/<container>}, {@code /kubepods/pod<uid>/...} (Guaranteed);</li>
 *   <li>systemd: {@code /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _ for ->.slice/cri-containerd-<id>.scope},
 *       {@code kubepods-pod<uid>.slice} (Guaranteed), {@code kubelet-kubepods-...} (kubelet with a cgroup root, e.g. kind).</li>
 * </ul>
 *
 * The segment may be anywhere in the path: below a cgroup root ({@code /kubelet/kubepods/...}), below a node
 * container (kind: {@code /system.slice/docker-<id>.scope/kubelet.slice/...}), or after {@code ..} segments when the
 * agent reads the file from inside its own cgroup namespace (the path of another pod then climbs to the common
 * ancestor and down again, through that pod's segment). The innermost pod segment wins. A pod UID is an RFC 4122 UUID
 * (pods from the API server) or 32 hex digits (static pods: the kubelet's hash of the manifest).
 */
public final class PodCgroupPaths {
    private static final String UID = "[0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12}|[0-9a-fA-F]{32}";
    /** cgroupfs driver: the whole segment is pod<uid>. */
    private static final Pattern CGROUPFS = Pattern.compile("pod(" + UID + ")");
    /** systemd driver: <parent slices joined by ->-pod<uid, - as _>.slice. */
    private static final Pattern SYSTEMD = Pattern.compile("(?:[A-Za-z0-9_]+-)*pod(" + UID + ")\\.slice");

    private PodCgroupPaths() {
    }

    /** The UID (with dashes, lower case) of the innermost pod cgroup on {@code path}, or empty when the path is in no pod. */
    public static Optional<String> podUid(String path) {
        String found = null;
        for (String segment : path.split("/")) {
            Matcher m = CGROUPFS.matcher(segment);
            if (!m.matches()) {
                m = SYSTEMD.matcher(segment);
                if (!m.matches()) {
                    continue;
                }
            }
            String uid = m.group(1);
            if (uid.length() == 36 && uid.charAt(8) != uid.charAt(13)) {
                continue; // mixed separators: not a name the kubelet writes
            }
            found = uid.replace('_', '-').toLowerCase(java.util.Locale.ROOT);
        }
        return Optional.ofNullable(found);
    }
}
