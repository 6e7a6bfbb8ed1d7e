package dev.liveupdate.client.protocol;

/** A request or reply the protocol rejects, with the code the other side sees. */
public class ProtocolException extends Exception {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
