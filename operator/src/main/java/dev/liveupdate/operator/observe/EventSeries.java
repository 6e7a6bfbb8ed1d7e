package dev.liveupdate.operator.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which Events were posted recently, by content, so that repeats do not become new objects. An identical event
 * within {@link #RETRY_WINDOW} is a retried pass saying the same thing again (a status write lost a race and the
 * transition is computed once more): it is dropped. A later identical event continues the series: the stored Event's
 * count is raised, as Kubernetes' own event recorder does. Bounded: the least recently used keys are forgotten.
 */
final class EventSeries {
    static final Duration RETRY_WINDOW = Duration.ofSeconds(60);
    static final Duration SERIES_WINDOW = Duration.ofMinutes(30);
    static final int MAX_KEYS = 1024;

    /** What to do with an event: create a new object, raise the count of an existing one, or nothing. */
    record Step(Kind kind, String name, int count) {
        enum Kind { CREATE, INCREMENT, DROP }
    }

    private record Seen(String name, int count, Instant first, Instant last) {
    }

    private final Map<String, Seen> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_KEYS;
        }
    };

    synchronized Step next(String key, Instant now, Supplier<String> newName) {
        Seen s = recent.get(key);
        if (s != null && now.isBefore(s.last().plus(RETRY_WINDOW))) {
            return new Step(Step.Kind.DROP, s.name(), s.count());
        }
        if (s != null && now.isBefore(s.first().plus(SERIES_WINDOW))) {
            Seen next = new Seen(s.name(), s.count() + 1, s.first(), now);
            recent.put(key, next);
            return new Step(Step.Kind.INCREMENT, next.name(), next.count());
        }
        Seen fresh = new Seen(newName.get(), 1, now, now);
        recent.put(key, fresh);
        return new Step(Step.Kind.CREATE, fresh.name(), 1);
    }

    /** The stored Event is gone (expired): the next repeat starts a new one. */
    synchronized void forget(String key) {
        recent.remove(key);
    }
}
