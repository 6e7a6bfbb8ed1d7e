package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** How long the agent waits for subscribed workloads to acknowledge "freeze" before reboot(KEXEC), and what a miss does. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FreezePolicy {
    /** What the agent uses when the instruction names no freeze policy. */
    public static final String DEFAULT_TIMEOUT = "10s";

    @Default(DEFAULT_TIMEOUT)
    @Pattern(ApiPatterns.DURATION)
    @ValidationRule(value = "duration(self) > duration('0s') && duration(self) <= duration('5m')",
            messageExpression = "'freeze.timeout must be a duration from 1ms to 5m, got ' + self")
    @JsonPropertyDescription("How long the agent waits, before reboot(KEXEC), for every workload subscribed on its socket to acknowledge the freeze notice (e.g. 10s; 1ms..5m). Nodes without subscribers do not wait.")
    private String timeout;

    @Default("Abort")
    @JsonPropertyDescription("What a missed deadline does: Abort (default) fails this node before its kexec with reason FreezeTimeout, its sessions stay held until the plan cancels or finishes the node, and the workloads are told to thaw; Proceed issues the kexec anyway.")
    private FreezeTimeoutAction onTimeout;

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public FreezeTimeoutAction getOnTimeout() {
        return onTimeout;
    }

    public void setOnTimeout(FreezeTimeoutAction onTimeout) {
        this.onTimeout = onTimeout;
    }
}
