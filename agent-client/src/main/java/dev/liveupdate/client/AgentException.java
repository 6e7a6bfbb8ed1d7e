package dev.liveupdate.client;

import dev.liveupdate.client.protocol.ErrorCode;
import java.io.IOException;

/** The agent answered a request with an error reply. */
public class AgentException extends IOException {
    private final ErrorCode code;
    private final String rawCode;

    public AgentException(ErrorCode code, String rawCode, String message) {
        super(rawCode + ": " + message);
        this.code = code;
        this.rawCode = rawCode;
    }

    public ErrorCode code() {
        return code;
    }

    /** The code as sent, in case a newer agent sent one this client does not know. */
    public String rawCode() {
        return rawCode;
    }
}
