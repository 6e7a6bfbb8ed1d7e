package dev.liveupdate.simulation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * One watch on the in-memory API server. Events wait until the scheduler delivers them, so a watcher sees a change
 * late; events of different objects may be delivered in any order, events of one object only in the order the server
 * made them (what a real watch guarantees).
 */
final class Watch {
    /** A change: the object as stored after it, or (deleted) as it was last. */
    record Event(String kind, String name, boolean deleted, HasMetadata object, java.time.Instant at) {
        Event(String kind, String name, boolean deleted, HasMetadata object) {
            this(kind, name, deleted, object, null);
        }
    }

    private final Predicate<Event> filter;
    private final Map<String, ArrayDeque<Event>> pending = new LinkedHashMap<>();
    boolean closed;

    Watch(Predicate<Event> filter) {
        this.filter = filter;
    }

    void offer(Event e) {
        if (!closed && filter.test(e)) {
            pending.computeIfAbsent(e.kind() + "/" + e.name(), k -> new ArrayDeque<>()).add(e);
        }
    }

    /** When the oldest undelivered event was made, or null. */
    java.time.Instant oldest() {
        return pending.values().stream().map(q -> q.peek().at()).filter(java.util.Objects::nonNull).min(java.util.Comparator.naturalOrder())
                .orElse(null);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The oldest pending event of an object the scheduler picks. */
    Event next(Random rnd) {
        List<String> keys = new ArrayList<>(pending.keySet());
        String key = keys.get(rnd.nextInt(keys.size()));
        ArrayDeque<Event> q = pending.get(key);
        Event e = q.poll();
        if (q.isEmpty()) {
            pending.remove(key);
        }
        return e;
    }
}
