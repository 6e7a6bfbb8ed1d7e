package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.LuoState;
import java.util.LinkedHashMap;
import java.util.Map;

/** A session as the simulated kernel tracks it, alive while at least one fd refers to it. */
final class SimSession {
    /** Raw name bytes, kept 1:1 as ISO-8859-1. */
    final String name;
    /** The hand-over record it was retrieved from, or null for a session created in this boot. */
    final IncomingSession origin;
    /** A: the session state. */
    LuoState state;
    /** B: FINISH done. */
    boolean finished;
    /** Open fds referring to this session (dup counts). */
    int refs;
    final Map<Long, PreservedFile> preserved = new LinkedHashMap<>();
    final Map<Long, RestorableFile> restorable = new LinkedHashMap<>();

    SimSession(String name, IncomingSession origin, LuoState state) {
        this.name = name;
        this.origin = origin;
        this.state = state;
        if (origin != null) {
            origin.files().forEach(f -> restorable.put(f.token(), new RestorableFile(f)));
        }
    }

    boolean incoming() {
        return origin != null;
    }
}
