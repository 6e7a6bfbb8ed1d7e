package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** What "restored" means for one session after the kexec, and how long to wait for it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSpec {
    @Default("AllTokensReclaimed")
    @JsonPropertyDescription("AllTokensReclaimed: every preserved token was handed back to its workload. SessionRetrieved: the agent retrieved the session from the kernel (the workload reclaims later).")
    private RestoreRule rule;

    @Default("10m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("How long after the new kernel's agent started the rule may take to hold, as a duration (e.g. 10m).")
    private String timeout;

    @Default("Fail")
    @JsonPropertyDescription("When the timeout expires: Fail the node (FINISH is not sent; the state stays preserved until a person decides: annotation liveupdate.dev/discard-unrestored=<plan uid> on the LiveUpdateNode, or a cold reboot), or Discard the unreclaimed files and finish.")
    private RestoreTimeoutAction onTimeout;

    public RestoreRule getRule() {
        return rule;
    }

    public void setRule(RestoreRule rule) {
        this.rule = rule;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public RestoreTimeoutAction getOnTimeout() {
        return onTimeout;
    }

    public void setOnTimeout(RestoreTimeoutAction onTimeout) {
        this.onTimeout = onTimeout;
    }
}
