package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed restore whose files the node's kernel still holds, as its agent reports it: condition RestoreHeld True,
 * whose message names the failed plan's uid and the release annotation (node-agent HeldRestore). The uid must come
 * from there: while the agent refuses a later plan (UnreleasedRestore), status.plan and lastUpdate name that later
 * plan, and an annotation with its uid would be ignored.
 */
record HeldRestore(String node, String planUid, String planName, String reason, String message, List<String> unrestored) {
    private static final Pattern RELEASE = Pattern.compile(Pattern.quote(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION) + "=([A-Za-z0-9-]+)");
    private static final Pattern UID = Pattern.compile("\\(uid ([A-Za-z0-9-]+)\\)");
    private static final Pattern PLAN = Pattern.compile("files of plan (\\S+) \\(uid");

    static Optional<HeldRestore> of(LiveUpdateNode lun) {
        LiveUpdateNodeStatus st = lun.getStatus();
        Condition held = NodeRows.condition(st, NodeRows.RESTORE_HELD);
        if (held == null || held.getMessage() == null) {
            return Optional.empty();
        }
        String uid = first(RELEASE, held.getMessage());
        if (uid == null) {
            uid = first(UID, held.getMessage());
        }
        if (uid == null) {
            return Optional.empty();
        }
        String plan = first(PLAN, held.getMessage());
        List<String> unrestored = st.getPlan() != null && uid.equals(st.getPlan().getUid()) ? unrestored(st.getSessions()) : List.of();
        return Optional.of(new HeldRestore(lun.getMetadata().getName(), uid, plan, held.getReason(), held.getMessage(), unrestored));
    }

    /** "vm-memory: tokens 3, 7" per session whose preserved tokens were not all handed back. */
    static List<String> unrestored(List<SessionStatus> sessions) {
        List<String> out = new ArrayList<>();
        if (sessions == null) {
            return out;
        }
        for (SessionStatus s : sessions) {
            Set<Long> restored = new HashSet<>(s.getRestoredTokens() == null ? List.of() : s.getRestoredTokens());
            List<String> missing = (s.getPreservedTokens() == null ? List.<Long>of() : s.getPreservedTokens()).stream()
                    .filter(t -> !restored.contains(t)).map(String::valueOf).toList();
            if (!missing.isEmpty()) {
                out.add(s.getName() + ": token" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
            }
        }
        return out;
    }

    /** What a person confirms: what the kernel drops. */
    String whatIsLost() {
        String files = unrestored.isEmpty()
                ? "every file no workload has taken back yet"
                : "the files no workload took back (" + String.join("; ", unrestored) + ")";
        return "Releasing " + node + " tells its agent to send FINISH for plan " + (planName == null ? "" : planName + " ")
                + "(uid " + planUid + ", restore failed: " + reason + "): the kernel discards " + files
                + ". Workloads can no longer retrieve them; this cannot be undone.";
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }
}
