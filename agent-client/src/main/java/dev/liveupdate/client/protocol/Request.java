package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One request: {@code {"v":1,"op":"preserve","session":"vm","token":1}}.
 *
 * @param session null only for a status request that asks about every session, and for subscribe and ack
 * @param token   meaningful only when {@code hasToken}; for ack the id of the freeze notice it answers ({@link #ackId()})
 */
public record Request(Op op, String session, long token, boolean hasToken) {

    public static Request preserve(String session, long token) {
        return new Request(Op.PRESERVE, session, token, true);
    }

    public static Request unpreserve(String session, long token) {
        return new Request(Op.UNPRESERVE, session, token, true);
    }

    public static Request retrieve(String session, long token) {
        return new Request(Op.RETRIEVE, session, token, true);
    }

    public static Request status(String sessionOrNull) {
        return new Request(Op.STATUS, sessionOrNull, 0, false);
    }

    public static Request subscribe() {
        return new Request(Op.SUBSCRIBE, null, 0, false);
    }

    /** Answers the freeze notice {@code id}: the workload is paused. */
    public static Request ack(long id) {
        return new Request(Op.ACK, null, id, false);
    }

    /** The freeze notice an ack answers. */
    public long ackId() {
        return token;
    }

    public byte[] encode() {
        ObjectNode json = Wire.JSON.createObjectNode();
        json.put("v", Wire.VERSION);
        json.put("op", op.wireName());
        if (session != null) {
            json.put("session", session);
        }
        if (hasToken) {
            json.set("token", Tokens.toJson(token));
        }
        if (op == Op.ACK) {
            json.put("id", token);
        }
        return Wire.bytes(json);
    }

    /** Parses and validates a request body; every failure carries the code the peer will see. */
    public static Request decode(byte[] body) throws ProtocolException {
        JsonNode json;
        try {
            json = Wire.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "request is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "request is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "request must be a JSON object");
        }
        JsonNode v = json.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing integer field \"v\" (protocol version; this agent speaks " + Wire.VERSION + ")");
        }
        if (v.asLong() != Wire.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + v + " unsupported; this agent speaks " + Wire.VERSION);
        }
        JsonNode opNode = json.get("op");
        Op op = opNode != null && opNode.isTextual() ? Op.fromWire(opNode.asText()) : null;
        if (op == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_OP, "unknown op " + opNode + "; expected preserve, unpreserve, retrieve, status, subscribe or ack");
        }
        if (op == Op.SUBSCRIBE) {
            return subscribe();
        }
        if (op == Op.ACK) {
            JsonNode id = json.get("id");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 1) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "ack needs the integer \"id\" of the freeze notice it answers, got " + id);
            }
            return ack(id.asLong());
        }
        String session = session(json, op != Op.STATUS);
        if (op == Op.STATUS) {
            return status(session);
        }
        return new Request(op, session, Tokens.fromJson(json.get("token")), true);
    }

    private static String session(JsonNode json, boolean required) throws ProtocolException {
        JsonNode node = json.get("session");
        if (node == null || node.isNull()) {
            if (required) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing field \"session\"");
            }
            return null;
        }
        if (!node.isTextual() || !SessionNames.isValid(node.asText())) {
            throw new ProtocolException(ErrorCode.INVALID_SESSION_NAME, "session name " + node
                    + " invalid: 1-55 bytes of letters, digits, '.', '_', '-', starting with a letter or digit");
        }
        return node.asText();
    }
}
