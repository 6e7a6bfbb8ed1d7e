package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One kind of problem fleet preflight found, with how many nodes have it and the first of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreflightFinding {
    @JsonPropertyDescription("Machine-readable reason, e.g. KernelMissing, KernelChecksumMismatch, KexecDisabled, SessionsNotRegistered.")
    private String reason;
    @JsonPropertyDescription("True when the finding keeps a node from starting (see strategy.preflight); false for a warning.")
    private Boolean blocking;
    @JsonPropertyDescription("How many nodes have it.")
    private Integer count;
    @JsonPropertyDescription("The first nodes that have it (by name, at most 10).")
    private List<String> nodes;
    @JsonPropertyDescription("What it means and what to do, for the first node listed.")
    private String message;

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public Boolean getBlocking() {
        return blocking;
    }

    public void setBlocking(Boolean blocking) {
        this.blocking = blocking;
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public List<String> getNodes() {
        return nodes;
    }

    public void setNodes(List<String> nodes) {
        this.nodes = nodes;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
