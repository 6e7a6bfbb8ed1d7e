package dev.liveupdate.e2e.realnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The agent container's JVM seen from the host (the tests run on the real node's host, as root). */
final class AgentProcess {
    private AgentProcess() {
    }

    /** The {@code Seccomp:} mode of the java process in the pod's cgroup (0 off, 1 strict, 2 filter). */
    static int seccompMode(String podUid) throws IOException {
        // cgroupfs driver: .../kubepods/<qos>/pod<uid>/<container id>; systemd: ...-pod<uid_with_underscores>.slice/...
        List<String> marks = List.of("pod" + podUid, "pod" + podUid.replace('-', '_'));
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (marks.stream().anyMatch(cgroup::contains) && cmdline.contains("java")) {
                        return Files.readAllLines(p.resolve("status")).stream().filter(l -> l.startsWith("Seccomp:"))
                                .map(l -> Integer.parseInt(l.substring("Seccomp:".length()).trim())).findFirst().orElseThrow();
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        throw new AssertionError("no java process in the cgroup of pod " + podUid);
    }
}
