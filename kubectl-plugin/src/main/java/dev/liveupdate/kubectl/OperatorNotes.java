package dev.liveupdate.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import java.util.Map;

/**
 * What the operator notes on a LiveUpdateNode for a plan (the ledger while it holds the node, the outcome after): the
 * node's wave and, once released, how it ended. Read only; an unreadable note counts as absent.
 */
record OperatorNotes(Integer wave, String result, String reason, String message, Long blackoutMillis) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final OperatorNotes NONE = new OperatorNotes(null, null, null, null, null);

    static OperatorNotes of(LiveUpdateNode lun, String planUid) {
        Map<String, String> annotations = lun.getMetadata().getAnnotations();
        if (annotations == null || planUid == null) {
            return NONE;
        }
        JsonNode ledger = parse(annotations.get(LiveUpdateNode.LEDGER_ANNOTATION));
        if (ledger != null && planUid.equals(ledger.path("plan").asText(null))) {
            JsonNode failure = ledger.path("failure");
            return new OperatorNotes(wave(ledger), failure.isObject() ? "Failed" : null, text(failure, "reason"),
                    text(failure, "message"), null);
        }
        JsonNode outcome = parse(annotations.get(LiveUpdateNode.OUTCOME_ANNOTATION_PREFIX + planUid));
        if (outcome != null) {
            return new OperatorNotes(wave(outcome), text(outcome, "result"), text(outcome, "reason"),
                    text(outcome, "message"), outcome.hasNonNull("blackoutMillis") ? outcome.get("blackoutMillis").asLong() : null);
        }
        return NONE;
    }

    /** Whether the operator has noted anything about this plan on the node (it holds or held it). */
    boolean any() {
        return wave != null || result != null;
    }

    private static Integer wave(JsonNode o) {
        return o.hasNonNull("wave") && o.get("wave").asInt() > 0 ? o.get("wave").asInt() : null;
    }

    private static String text(JsonNode o, String field) {
        return o != null && o.hasNonNull(field) ? o.get(field).asText() : null;
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }
}
