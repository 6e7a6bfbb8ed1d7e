package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The boot the node left and the boot it arrived in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootTransition {
    @JsonPropertyDescription("Boot ID before the kexec.")
    private String bootIDBefore;
    @JsonPropertyDescription("Boot ID after the kexec.")
    private String bootIDAfter;
    @JsonPropertyDescription("Kernel release before the kexec.")
    private String releaseBefore;
    @JsonPropertyDescription("Kernel release after the kexec.")
    private String releaseAfter;

    public String getBootIDBefore() {
        return bootIDBefore;
    }

    public void setBootIDBefore(String bootIDBefore) {
        this.bootIDBefore = bootIDBefore;
    }

    public String getBootIDAfter() {
        return bootIDAfter;
    }

    public void setBootIDAfter(String bootIDAfter) {
        this.bootIDAfter = bootIDAfter;
    }

    public String getReleaseBefore() {
        return releaseBefore;
    }

    public void setReleaseBefore(String releaseBefore) {
        this.releaseBefore = releaseBefore;
    }

    public String getReleaseAfter() {
        return releaseAfter;
    }

    public void setReleaseAfter(String releaseAfter) {
        this.releaseAfter = releaseAfter;
    }
}
