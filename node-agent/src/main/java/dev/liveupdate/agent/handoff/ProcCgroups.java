package dev.liveupdate.agent.handoff;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /proc/<pid>/cgroup} read into an {@link Owner}. Each line is {@code hierarchy-ID:controller-list:path}: one
 * line per v1 hierarchy ({@code 4:memory:/kubepods/...}, {@code 1:name=systemd:/kubepods.slice/...}), one
 * {@code 0::path} line on v2, both on a hybrid host.
 *
 * <p>A pod peer: every pod UID on any line must be the same one (a process in two pods' cgroups at once is not
 * something the kubelet makes; it is refused rather than guessed). A host peer: its uid and the path of the
 * process-tracking hierarchy: {@code name=systemd} on v1 and hybrid hosts, else the v2 line, else the first line.
 */
public final class ProcCgroups {
    /** One line of the file. */
    public record Line(int hierarchy, String controllers, String path) {
    }

    private ProcCgroups() {
    }

    public static List<Line> parse(String content) {
        List<Line> lines = new ArrayList<>();
        for (String raw : content.split("\n")) {
            if (raw.isBlank()) {
                continue;
            }
            String[] parts = raw.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a /proc/<pid>/cgroup line: " + raw);
            }
            int id;
            try {
                id = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a /proc/<pid>/cgroup line: " + raw);
            }
            lines.add(new Line(id, parts[1], parts[2]));
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty /proc/<pid>/cgroup");
        }
        return lines;
    }

    /**
     * The owner of a process with this uid and this {@code /proc/<pid>/cgroup} content.
     *
     * @throws IllegalArgumentException when the content is not a cgroup file or names more than one pod
     */
    public static Owner ownerOf(long uid, String content) {
        List<Line> lines = parse(content);
        Set<String> pods = new LinkedHashSet<>();
        for (Line l : lines) {
            PodCgroupPaths.podUid(l.path()).ifPresent(pods::add);
        }
        if (pods.size() > 1) {
            throw new IllegalArgumentException("the process is in the cgroups of several pods " + pods + "; refusing to guess its owner");
        }
        if (pods.size() == 1) {
            return Owner.pod(pods.iterator().next());
        }
        return Owner.host(uid, trackingPath(lines));
    }

    private static String trackingPath(List<Line> lines) {
        for (Line l : lines) {
            if (l.controllers().equals("name=systemd")) {
                return l.path();
            }
        }
        for (Line l : lines) {
            if (l.hierarchy() == 0 && l.controllers().isEmpty()) {
                return l.path();
            }
        }
        return lines.get(0).path();
    }
}
