package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The kernel a node moves to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.initrdSha256) || has(self.initrd)", message = "initrdSha256 is set but initrd is not: give the initrd path or drop its checksum")
public class KernelSpec {
    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[A-Za-z0-9._+~-]+$")
    @JsonPropertyDescription("The release the node must report afterwards (what `uname -r` prints in the new kernel), e.g. 7.2.0-1-amd64.")
    private String release;

    @Required
    @ValidationRule(value = "self.matches('" + ApiPatterns.NORMALISED_ABSOLUTE_PATH + "')", messageExpression = "'kernel.image must be an absolute, normalised host path (no \\'.\\' or \\'..\\' segments, no \\'//\\', no trailing \\'/\\'), e.g. /boot/vmlinuz-7.2.0; got \\'' + self + '\\''")
    @Size(max = 4096)
    @JsonPropertyDescription("Absolute path of the kernel image (bzImage) on the host, e.g. /boot/vmlinuz-7.2.0-1-amd64. The agent loads it with kexec_file_load.")
    private String image;

    @ValidationRule(value = "self.matches('" + ApiPatterns.NORMALISED_ABSOLUTE_PATH + "')", messageExpression = "'kernel.initrd must be an absolute, normalised host path (no \\'.\\' or \\'..\\' segments, no \\'//\\', no trailing \\'/\\'), e.g. /boot/initrd.img-7.2.0; got \\'' + self + '\\''")
    @Size(max = 4096)
    @JsonPropertyDescription("Absolute path of the initrd on the host. Optional.")
    private String initrd;

    @Size(max = 4096)
    @JsonPropertyDescription("Kernel command line for the new kernel. When absent the node's running command line (/proc/cmdline) is reused.")
    private String cmdline;

    @Pattern(ApiPatterns.SHA256)
    @JsonPropertyDescription("Lower-case hex SHA-256 of the kernel image. When set, a node whose image differs fails its prepare step and never reboots.")
    private String sha256;

    @Pattern(ApiPatterns.SHA256)
    @JsonPropertyDescription("Lower-case hex SHA-256 of the initrd. Optional; needs initrd.")
    private String initrdSha256;

    public String getRelease() {
        return release;
    }

    public void setRelease(String release) {
        this.release = release;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getInitrd() {
        return initrd;
    }

    public void setInitrd(String initrd) {
        this.initrd = initrd;
    }

    public String getCmdline() {
        return cmdline;
    }

    public void setCmdline(String cmdline) {
        this.cmdline = cmdline;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public String getInitrdSha256() {
        return initrdSha256;
    }

    public void setInitrdSha256(String initrdSha256) {
        this.initrdSha256 = initrdSha256;
    }
}
