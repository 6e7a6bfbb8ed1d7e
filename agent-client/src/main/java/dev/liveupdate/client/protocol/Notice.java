package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * What the agent sends unasked on a subscribed connection ({@link Op#SUBSCRIBE}). A notice carries {@code "notice"}
 * and never {@code "ok"}, so a reader tells it from a reply by that field.
 *
 * <ul>
 *   <li>{@code {"v":1,"notice":"freeze","id":7,"timeoutMillis":10000,"deadline":"…Z","plan":"p","kernelRelease":"7.3.0"}}:
 *   the agent is about to issue reboot(KEXEC); pause and answer {@code {"v":1,"op":"ack","id":7}} before the deadline.</li>
 *   <li>{@code {"v":1,"notice":"thawed","id":7,"reason":"FreezeTimeout","message":"…"}}: the kexec of freeze 7 will not
 *   happen; carry on (unpause) in this kernel.</li>
 *   <li>{@code {"v":1,"notice":"resumed","bootID":"…","bootIDBefore":"…","plan":"p","kernelRelease":"7.3.0"}}: this boot
 *   came out of a live update; the files are ready to retrieve.</li>
 * </ul>
 */
public final class Notice {
    public static final String FREEZE = "freeze";
    public static final String THAWED = "thawed";
    public static final String RESUMED = "resumed";

    private final ObjectNode json;

    private Notice(ObjectNode json) {
        this.json = json;
    }

    private static Notice of(String kind) {
        ObjectNode json = Wire.JSON.createObjectNode();
        json.put("v", Wire.VERSION);
        json.put("notice", kind);
        return new Notice(json);
    }

    public static Notice freeze(long id, long timeoutMillis, String deadline, String plan, String kernelRelease) {
        Notice n = of(FREEZE);
        n.json.put("id", id);
        n.json.put("timeoutMillis", timeoutMillis);
        n.json.put("deadline", deadline);
        n.put("plan", plan).put("kernelRelease", kernelRelease);
        return n;
    }

    public static Notice thawed(long id, String reason, String message) {
        Notice n = of(THAWED);
        n.json.put("id", id);
        return n.put("reason", reason).put("message", message);
    }

    public static Notice resumed(String bootId, String bootIdBefore, String plan, String kernelRelease) {
        return of(RESUMED).put("bootID", bootId).put("bootIDBefore", bootIdBefore).put("plan", plan).put("kernelRelease", kernelRelease);
    }

    private Notice put(String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
        return this;
    }

    public String kind() {
        return json.path("notice").asText("");
    }

    /** The freeze this notice starts or ends (0 for resumed). */
    public long id() {
        return json.path("id").asLong(0);
    }

    public long timeoutMillis() {
        return json.path("timeoutMillis").asLong(0);
    }

    /** A text field, or null when absent. */
    public String text(String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    public byte[] encode() {
        return Wire.bytes(json);
    }

    /** Whether a body the agent sent is a notice (not a reply). */
    public static boolean isNotice(JsonNode json) {
        return json != null && json.isObject() && json.has("notice") && !json.has("ok");
    }

    public static Notice decode(byte[] body) throws ProtocolException {
        JsonNode json;
        try {
            json = Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "notice is not JSON: " + e.getMessage());
        }
        if (!isNotice(json)) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "not a notice: " + json);
        }
        if (json.path("v").asInt(-1) != Wire.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "agent sent a notice of protocol version " + json.get("v"));
        }
        return new Notice((ObjectNode) json);
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
