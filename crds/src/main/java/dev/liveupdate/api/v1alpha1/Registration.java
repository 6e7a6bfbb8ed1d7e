package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Files workloads registered for a session that no current plan declares: kept by the agent, not preserved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Registration {
    @JsonPropertyDescription("Session name the workload used.")
    private String session;
    @JsonPropertyDescription("How many files are registered under it.")
    private Integer files;

    public String getSession() {
        return session;
    }

    public void setSession(String session) {
        this.session = session;
    }

    public Integer getFiles() {
        return files;
    }

    public void setFiles(Integer files) {
        this.files = files;
    }
}
