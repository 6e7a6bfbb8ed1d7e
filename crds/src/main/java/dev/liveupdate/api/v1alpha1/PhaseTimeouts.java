package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Per-phase timeouts; a node that exceeds one ends Failed with the phase named in the reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhaseTimeouts {
    @Default("15m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("From the Prepared instruction until the agent reports Prepared (includes waiting for workloads to hand over their files).")
    private String prepare;

    @Default("10m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("From the Rebooted instruction until the node reports Updated in the new kernel (session restore timeouts apply inside it).")
    private String reboot;

    @Default("5m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("From the Finished instruction until the agent reports Finished.")
    private String finish;

    public String getPrepare() {
        return prepare;
    }

    public void setPrepare(String prepare) {
        this.prepare = prepare;
    }

    public String getReboot() {
        return reboot;
    }

    public void setReboot(String reboot) {
        this.reboot = reboot;
    }

    public String getFinish() {
        return finish;
    }

    public void setFinish(String finish) {
        this.finish = finish;
    }
}
