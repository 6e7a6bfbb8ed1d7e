package dev.liveupdate.agent.handoff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The owner from {@code <proc>/<pid>/cgroup} ({@link ProcCgroups}). The agent runs in the host PID namespace (the
 * chart sets hostPID), so SO_PEERCRED's pid names the peer's process in the host's /proc; without it a peer in another
 * pod has pid 0 and is refused.
 */
public final class ProcOwnerResolver implements OwnerResolver {
    private final Path proc;

    public ProcOwnerResolver(Path proc) {
        this.proc = proc;
    }

    /** The host's /proc as the agent sees it. */
    public static ProcOwnerResolver host() {
        return new ProcOwnerResolver(Path.of("/proc"));
    }

    @Override
    public Owner ownerOf(long pid, long uid) throws UnknownOwnerException {
        if (pid <= 0) {
            throw new UnknownOwnerException("the peer's process is not visible to the agent (pid " + pid
                    + "): it runs in a PID namespace the agent cannot see; run the agent in the host PID namespace (hostPID)");
        }
        Path dir = proc.resolve(Long.toString(pid));
        Path file = dir.resolve("cgroup");
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (Files.isDirectory(dir)) {
                // The process is there but the kernel keeps no cgroups (CONFIG_CGROUPS=n, e.g. a minimal guest): no pods
                // can exist on it either, so the peer is a host process, told apart by uid.
                return Owner.host(uid, Owner.NO_CGROUPS);
            }
            throw new UnknownOwnerException("cannot read " + file + ": the peer process " + pid
                    + " exited, or the agent does not see the host's /proc");
        } catch (IOException e) {
            throw new UnknownOwnerException("cannot read " + file + " (" + e.getMessage() + "): the peer process " + pid
                    + " exited, or the agent does not see the host's /proc");
        }
        try {
            return ProcCgroups.ownerOf(uid, content);
        } catch (IllegalArgumentException e) {
            throw new UnknownOwnerException(file + ": " + e.getMessage());
        }
    }
}
