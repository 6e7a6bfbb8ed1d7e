package dev.liveupdate.operator.planning;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a metav1 condition list on top of the previous one; lastTransitionTime moves only when status changes. */
public final class Conditions {
    private final Map<String, Condition> previous = new LinkedHashMap<>();
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final String now;

    public Conditions(List<Condition> previous, long generation, Instant now) {
        if (previous != null) {
            previous.forEach(c -> this.previous.put(c.getType(), c));
        }
        this.generation = generation;
        this.now = Instant.ofEpochSecond(now.getEpochSecond()).toString();
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        String s = status ? "True" : "False";
        Condition old = previous.get(type);
        String ltt = old != null && s.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now;
        next.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason)
                .withMessage(message == null ? "" : message).withLastTransitionTime(ltt)
                .withObservedGeneration(generation).build());
        return this;
    }

    public boolean wasTrue(String type) {
        Condition old = previous.get(type);
        return old != null && "True".equals(old.getStatus());
    }

    /** Whether the previous list had {@code type} with this reason (so a reason-specific event is posted once). */
    public boolean wasReason(String type, String reason) {
        Condition old = previous.get(type);
        return old != null && reason.equals(old.getReason());
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }
}
