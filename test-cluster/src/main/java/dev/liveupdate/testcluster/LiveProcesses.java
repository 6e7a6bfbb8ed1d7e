package dev.liveupdate.testcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Which processes still run. Handles, not pids: on a busy machine a pid is reused within seconds, and a handle
 * remembers its process's start time. A killed process whose parent died stays a zombie until its new parent reaps it,
 * and {@link ProcessHandle#isAlive()} counts a zombie as alive; here a zombie has stopped running.
 */
public final class LiveProcesses {
    private LiveProcesses() {
    }

    /** True while the process exists and is not a zombie (state Z) or dead (X) in {@code /proc/<pid>/stat}. */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // "pid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // reaped since isAlive()
        }
    }

    /** Those of {@code processes} that still run, as "pid command" for an assertion message. */
    public static List<String> runningOf(Collection<ProcessHandle> processes) {
        return processes.stream().filter(LiveProcesses::running)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }
}
