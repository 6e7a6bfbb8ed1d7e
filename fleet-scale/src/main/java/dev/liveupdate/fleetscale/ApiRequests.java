package dev.liveupdate.fleetscale;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API server's request counts (apiserver_request_total, summed over codes, scopes and components) per
 * "verb resource[/subresource]", and the difference of two snapshots.
 */
public record ApiRequests(Map<String, Long> counts) {
    /** Verbs that change state. */
    static final Set<String> WRITES = Set.of("CREATE", "UPDATE", "PATCH", "DELETE", "APPLY", "DELETECOLLECTION", "POST", "PUT");

    public static ApiRequests from(String metricsText) {
        Map<String, Long> counts = new TreeMap<>();
        for (PromText.Sample s : PromText.parse(metricsText)) {
            if (!s.name().equals("apiserver_request_total")) {
                continue;
            }
            String sub = s.label("subresource");
            String key = s.label("verb") + " " + s.label("resource") + (sub.isEmpty() ? "" : "/" + sub);
            counts.merge(key, (long) s.value(), Long::sum);
        }
        return new ApiRequests(counts);
    }

    public ApiRequests minus(ApiRequests before) {
        Map<String, Long> d = new TreeMap<>();
        counts.forEach((k, v) -> {
            long delta = v - before.counts.getOrDefault(k, 0L);
            if (delta != 0) {
                d.put(k, delta);
            }
        });
        return new ApiRequests(d);
    }

    public long get(String verb, String resource) {
        return counts.getOrDefault(verb + " " + resource, 0L);
    }

    /** Requests whose key matches: verb in {@code verbs} (empty: any), resource[/sub] in {@code resources}. */
    public long sum(Set<String> verbs, Set<String> resources) {
        return counts.entrySet().stream().filter(e -> {
            String[] vr = e.getKey().split(" ", 2);
            return (verbs.isEmpty() || verbs.contains(vr[0])) && resources.contains(vr[1]);
        }).mapToLong(Map.Entry::getValue).sum();
    }

    public long writes(Set<String> resources) {
        return sum(WRITES, resources);
    }

    public static boolean isWrite(String key) {
        return WRITES.contains(key.split(" ", 2)[0]);
    }

    public List<Map.Entry<String, Long>> entries() {
        return List.copyOf(counts.entrySet());
    }
}
