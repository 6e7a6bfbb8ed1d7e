package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A check run on the node once it is verified in the new kernel: a Job whose one pod is bound to the node and must
 * exit 0. The operator builds the pod itself (restricted: non-root, no privileges, no host access, no token) in the
 * namespace its admin set for checks; the plan gives only the image and what to run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckPod {
    @Required
    @Size(min = 1, max = 512)
    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Container image of the check, preferably by digest (registry/name@sha256:...). The operator's admin may restrict it to allowed prefixes.")
    private String image;

    @Size(max = 16)
    @JsonPropertyDescription("Entrypoint (the container's command). Absent: the image's.")
    private List<String> command;

    @Size(max = 32)
    @JsonPropertyDescription("Arguments. Absent: the image's.")
    private List<String> args;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }
}
