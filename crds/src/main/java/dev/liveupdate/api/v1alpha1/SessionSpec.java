package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One LUO session a node preserves across the kexec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SessionSpec {
    @Required
    @Size(max = 64)
    @ValidationRule(value = "size(self) >= 1 && size(self) <= 55", messageExpression = "'session name must be 1 to 55 bytes: generation-A kernels hold 56 bytes including the terminating NUL; got \\'' + self + '\\''")
    @ValidationRule(value = "self.matches('^[A-Za-z0-9][A-Za-z0-9._-]*$')", messageExpression = "'session name must start with a letter or digit and contain only letters, digits, \\'.\\', \\'_\\' and \\'-\\'; got \\'' + self + '\\''")
    @JsonPropertyDescription("Session name as the kernel sees it (CREATE_SESSION/RETRIEVE_SESSION). At most 55 bytes, letters, digits, '.', '_', '-'. Workloads name it when they hand fds to the agent.")
    private String name;

    @Default("true")
    @JsonPropertyDescription("A required session must be created and hold at least minFiles preserved files before the node may reboot, and must be restored before FINISH.")
    private Boolean required;

    @Default("1")
    @Min(0)
    @Max(128)
    @JsonPropertyDescription("How many distinct files workloads must have handed over for this session before the node counts as prepared (one memfd handed over under two tokens counts once). At most 128, the per-session limit of the 6.19 generation-B kernels; 7.x kernels have none.")
    private Integer minFiles;

    @Default("{}")
    @JsonPropertyDescription("What restored means for this session after the kexec, and how long to wait.")
    private RestoreSpec restore;

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

    public Integer getMinFiles() {
        return minFiles;
    }

    public void setMinFiles(Integer minFiles) {
        this.minFiles = minFiles;
    }

    public RestoreSpec getRestore() {
        return restore;
    }

    public void setRestore(RestoreSpec restore) {
        this.restore = restore;
    }
}
