package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One failed node and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailedNode {
    @JsonPropertyDescription("Node name.")
    private String node;
    @JsonPropertyDescription("The phase in which it failed.")
    private String phase;
    @JsonPropertyDescription("Machine-readable reason, e.g. PrepareTimeout, ImageChecksumMismatch, SessionsLost.")
    private String reason;
    @JsonPropertyDescription("What happened and what a person can do about it.")
    private String message;
    @JsonPropertyDescription("When the failure was recorded (RFC 3339).")
    private String time;

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
