package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One reply: {@code {"v":1,"ok":true,...}} or
 * {@code {"v":1,"ok":false,"error":{"code":"UNKNOWN_TOKEN","message":"..."}}}.
 */
public final class Reply {
    private final ObjectNode json;

    private Reply(ObjectNode json) {
        this.json = json;
    }

    public static Reply ok() {
        ObjectNode json = Wire.JSON.createObjectNode();
        json.put("v", Wire.VERSION);
        json.put("ok", true);
        return new Reply(json);
    }

    public static Reply error(ErrorCode code, String message) {
        ObjectNode json = Wire.JSON.createObjectNode();
        json.put("v", Wire.VERSION);
        json.put("ok", false);
        ObjectNode error = json.putObject("error");
        error.put("code", code.name());
        error.put("message", message);
        return new Reply(json);
    }

    public static Reply error(ProtocolException e) {
        return error(e.code(), e.getMessage());
    }

    public Reply with(String field, String value) {
        json.put(field, value);
        return this;
    }

    public Reply with(String field, JsonNode value) {
        json.set(field, value);
        return this;
    }

    public boolean isOk() {
        return json.path("ok").asBoolean(false);
    }

    /** The code as the agent sent it (may be one this client does not know). */
    public String rawErrorCode() {
        return json.path("error").path("code").asText("INTERNAL");
    }

    public ErrorCode errorCode() {
        return ErrorCode.fromWire(rawErrorCode());
    }

    public String errorMessage() {
        return json.path("error").path("message").asText("");
    }

    public JsonNode get(String field) {
        return json.get(field);
    }

    public ObjectNode json() {
        return json;
    }

    public byte[] encode() {
        return Wire.bytes(json);
    }

    public static Reply decode(byte[] body) throws ProtocolException {
        JsonNode json;
        try {
            json = Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "reply is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject() || !json.has("ok")) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "reply is not a protocol object: " + json);
        }
        if (json.path("v").asInt(-1) != Wire.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "agent replied with protocol version " + json.get("v"));
        }
        return new Reply((ObjectNode) json);
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
