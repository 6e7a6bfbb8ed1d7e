package dev.liveupdate.agent.engine;

import dev.liveupdate.client.protocol.FileState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The files the agent holds, by session and token. Used only on the engine thread. */
final class FileTable {
    private final Map<String, Map<Long, HeldFile>> bySession = new LinkedHashMap<>();

    Optional<HeldFile> get(String session, long token) {
        Map<Long, HeldFile> files = bySession.get(session);
        return Optional.ofNullable(files == null ? null : files.get(token));
    }

    void put(HeldFile file) {
        bySession.computeIfAbsent(file.session, s -> new LinkedHashMap<>()).put(file.token, file);
    }

    void remove(String session, long token) {
        Map<Long, HeldFile> files = bySession.get(session);
        if (files != null) {
            files.remove(token);
            if (files.isEmpty()) {
                bySession.remove(session);
            }
        }
    }

    boolean hasSession(String session) {
        return bySession.containsKey(session);
    }

    Collection<HeldFile> inSession(String session) {
        Map<Long, HeldFile> files = bySession.get(session);
        return files == null ? List.of() : List.copyOf(files.values());
    }

    List<HeldFile> all() {
        List<HeldFile> all = new ArrayList<>();
        bySession.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** The files of one owner; none for an unknown owner (it matches nobody). */
    List<HeldFile> ownedBy(dev.liveupdate.agent.handoff.Owner owner) {
        return all().stream().filter(f -> f.owner.matches(owner)).toList();
    }

    long count(String session, FileState state) {
        return inSession(session).stream().filter(f -> f.state == state).count();
    }

    List<String> sessions() {
        return List.copyOf(bySession.keySet());
    }
}
