package dev.liveupdate.operator.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.planning.Failure;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.Outcome;
import java.time.Instant;

/**
 * JSON form of the ledger and outcome annotations. Hand-written so the format is explicit and stable; an unreadable
 * value decodes to null (the planner then treats the notes as missing, never as something else).
 */
public final class LedgerCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LedgerCodec() {
    }

    public static String encode(Ledger l) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("plan", l.planUid());
        o.put("wave", l.wave());
        put(o, "startedAt", l.startedAt());
        put(o, "stepSince", l.stepSince());
        if (l.bootBefore() != null) {
            o.put("bootBefore", l.bootBefore());
        }
        put(o, "settledAt", l.settledAt());
        if (l.failure() != null) {
            ObjectNode f = o.putObject("failure");
            f.put("reason", l.failure().reason());
            f.put("message", l.failure().message());
            put(f, "at", l.failure().at());
            f.put("rebooted", l.failure().rebooted());
        }
        if (l.cancelReason() != null) {
            o.put("cancelReason", l.cancelReason());
        }
        put(o, "gateSince", l.gateSince());
        if (l.prepareRestarts() > 0) {
            o.put("prepareRestarts", l.prepareRestarts());
        }
        return o.toString();
    }

    public static Ledger decodeLedger(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode o = MAPPER.readTree(json);
            JsonNode f = o.get("failure");
            Failure failure = f == null || f.isNull() ? null
                    : new Failure(text(f, "reason"), text(f, "message"), time(f, "at"), f.path("rebooted").asBoolean());
            return new Ledger(text(o, "plan"), o.path("wave").asInt(), time(o, "startedAt"), time(o, "stepSince"),
                    text(o, "bootBefore"), time(o, "settledAt"), failure, text(o, "cancelReason"),
                    o.path("prepareRestarts").asInt(), time(o, "gateSince"));
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    public static String encode(Outcome out) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("result", out.result().name());
        if (out.reason() != null) {
            o.put("reason", out.reason());
        }
        if (out.message() != null) {
            o.put("message", out.message());
        }
        o.put("wave", out.wave());
        put(o, "startedAt", out.startedAt());
        put(o, "at", out.at());
        o.put("rebooted", out.rebooted());
        if (out.blackoutMillis() != null) {
            o.put("blackoutMillis", out.blackoutMillis());
        }
        return o.toString();
    }

    public static Outcome decodeOutcome(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode o = MAPPER.readTree(json);
            return new Outcome(UpdateResult.valueOf(text(o, "result")), text(o, "reason"), text(o, "message"),
                    o.path("wave").asInt(), time(o, "startedAt"), time(o, "at"), o.path("rebooted").asBoolean(),
                    o.hasNonNull("blackoutMillis") ? o.get("blackoutMillis").asLong() : null);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static void put(ObjectNode o, String field, Instant t) {
        if (t != null) {
            o.put(field, t.toString());
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant time(JsonNode o, String field) {
        String v = text(o, field);
        return v == null ? null : Instant.parse(v);
    }
}
