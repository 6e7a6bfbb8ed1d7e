package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.luo.sys.FileStat;

/** One file the agent holds for a workload: registered in this boot, or restored from the previous kernel. */
final class HeldFile {
    final String session;
    final long token;
    /** The agent's own fd, or -1 once released or lost. */
    int fd;
    /** The workload the file belongs to (safety invariant 10): only it may see, retrieve, discard or replace it. */
    final Owner owner;
    /** The uid of the process that handed it over in this boot, or -1 when it came through the kexec. */
    final long ownerUid;
    FileState state;
    /** Why the state is what it is, for people (e.g. "kernel refused: ENOENT not preservable"). */
    String detail;
    /** Which file the fd is (fstat at registration), or null when unknown: tokens of one file count once toward minFiles. */
    FileStat stat;

    HeldFile(String session, long token, int fd, Owner owner, long ownerUid, FileState state) {
        this.session = session;
        this.token = token;
        this.fd = fd;
        this.owner = owner;
        this.ownerUid = ownerUid;
        this.state = state;
    }
}
