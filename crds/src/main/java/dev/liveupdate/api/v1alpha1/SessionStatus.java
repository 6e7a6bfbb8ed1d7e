package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One session as the agent holds it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionStatus {
    @JsonPropertyDescription("Session name.")
    private String name;
    @JsonPropertyDescription("Whether the plan requires this session.")
    private Boolean required;
    @JsonPropertyDescription("Created (outgoing, held by the agent), Retrieved (incoming, after the kexec), Finished (FINISH sent), or Lost (its holder died before the kexec, or it could not be retrieved).")
    private SessionState state;
    @JsonPropertyDescription("Tokens of the files preserved in this session.")
    private List<Long> preservedTokens;
    @JsonPropertyDescription("Tokens handed back to workloads after the kexec.")
    private List<Long> restoredTokens;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Boolean getRequired() {
        return required;
    }

    public void setRequired(Boolean required) {
        this.required = required;
    }

    public SessionState getState() {
        return state;
    }

    public void setState(SessionState state) {
        this.state = state;
    }

    public List<Long> getPreservedTokens() {
        return preservedTokens;
    }

    public void setPreservedTokens(List<Long> preservedTokens) {
        this.preservedTokens = preservedTokens;
    }

    public List<Long> getRestoredTokens() {
        return restoredTokens;
    }

    public void setRestoredTokens(List<Long> restoredTokens) {
        this.restoredTokens = restoredTokens;
    }
}
