package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Shared constants and the JSON mapper of the wire protocol. */
public final class Wire {
    /** The protocol version every message carries in "v". */
    public static final int VERSION = 1;
    /** Where the agent listens unless configured otherwise. */
    public static final String DEFAULT_SOCKET = "/run/liveupdate/agent.sock";
    static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + json, e);
        }
    }
}
