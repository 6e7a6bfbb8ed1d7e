package dev.liveupdate.agent.engine;

import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registrations a preparation could not use (the kernel refused PRESERVE_FD: not a memfd, already preserved, ...),
 * so the node's status names each one (session, token, owner, why) from the first report instead of the prepare
 * timing out later with only "0 of 1 files". The prepare keeps waiting: a workload can still hand over a good file.
 */
final class RefusedRegistrations {
    static final String REASON = "RegistrationRefused";

    /** @param from "uid 1000", or "pod <uid> (uid 1000)" for a file of a pod */
    private record Refusal(String session, long token, String from, ErrorCode code, String why) {
    }

    private final Map<String, Refusal> byKey = new LinkedHashMap<>();

    private static String key(String session, long token) {
        return session + "/" + Tokens.format(token);
    }

    /** @param why the kernel's answer (the errno message) */
    void refused(HeldFile f, ErrorCode code, String why) {
        String from = f.owner.isPod() ? f.owner + " (uid " + f.ownerUid + ")" : "uid " + f.ownerUid;
        byKey.put(key(f.session, f.token), new Refusal(f.session, f.token, from, code, why));
    }

    /** The token was preserved after all, or its registration was taken back: nothing to name any more. */
    void forget(String session, long token) {
        byKey.remove(key(session, token));
    }

    boolean any() {
        return !byKey.isEmpty();
    }

    /** "vm/7 from uid 1000: PRESERVE_FD(vm, token 7) failed: ENOENT ... - hand over a memfd instead", joined by "; ", or empty. */
    Optional<String> describe() {
        List<String> parts = new ArrayList<>();
        for (Refusal r : byKey.values()) {
            parts.add(key(r.session(), r.token()) + " from " + r.from() + ": " + r.why() + hint(r.code()));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }

    /** What the workload can do about it, where the kernel's own words do not say. */
    private static String hint(ErrorCode code) {
        return code == ErrorCode.NOT_PRESERVABLE ? " - hand over a memfd instead" : "";
    }
}
