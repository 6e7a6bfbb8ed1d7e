package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The kernel a node moves to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.initrdSha256) || has(self.initrd) || has(self.initrdUrl)", message = "initrdSha256 is set but initrd is not: give the initrd path (or initrdUrl) or drop its checksum")
@ValidationRule(value = "has(self.image) != has(self.url)", message = "give exactly one of kernel.image (a host path on every node) and kernel.url (an https URL the agents download and stage)")
@ValidationRule(value = "!has(self.url) || has(self.sha256)", message = "kernel.url needs kernel.sha256: the agent stages and loads only the bytes whose checksum the plan names")
@ValidationRule(value = "!has(self.initrdUrl) || has(self.initrdSha256)", message = "kernel.initrdUrl needs kernel.initrdSha256: the agent stages and loads only the bytes whose checksum the plan names")
@ValidationRule(value = "!has(self.initrdUrl) || has(self.url)", message = "kernel.initrdUrl goes with kernel.url; with kernel.image give the initrd as kernel.initrd (a host path)")
@ValidationRule(value = "!has(self.initrd) || !has(self.url)", message = "kernel.initrd is a host path and goes with kernel.image; with kernel.url give the initrd as kernel.initrdUrl")
@ValidationRule(value = "(has(self.allowPlainHttp) && self.allowPlainHttp) || !((has(self.url) && self.url.startsWith('http://')) || (has(self.initrdUrl) && self.initrdUrl.startsWith('http://')))",
        message = "plain http:// kernel URLs need kernel.allowPlainHttp: true (the checksum still protects the bytes, but anyone on the path sees and can stall them); prefer https://")
public class KernelSpec {
    /** Longest kernel URL a plan may give (and the agent will fetch). */
    public static final int MAX_URL_LENGTH = 2048;
    @Required
    @Size(min = 1, max = 256)
    @Pattern("^[A-Za-z0-9._+~-]+$")
    @JsonPropertyDescription("The release the node must report afterwards (what `uname -r` prints in the new kernel), e.g. 7.2.0-1-amd64.")
    private String release;

    @ValidationRule(value = "self.matches('" + ApiPatterns.NORMALISED_ABSOLUTE_PATH + "')", messageExpression = "'kernel.image must be an absolute, normalised host path (no \\'.\\' or \\'..\\' segments, no \\'//\\', no trailing \\'/\\'), e.g. /boot/vmlinuz-7.2.0; got \\'' + self + '\\''")
    @Size(max = 4096)
    @JsonPropertyDescription("Absolute path of the kernel image (bzImage) on the host, e.g. /boot/vmlinuz-7.2.0-1-amd64. The agent loads it with kexec_file_load. Exactly one of image and url.")
    private String image;

    @Size(max = MAX_URL_LENGTH)
    @ValidationRule(value = "self.matches('" + ApiPatterns.KERNEL_URL + "')", messageExpression = "'kernel.url must be an https:// URL with a host and without credentials (no user:password@; http:// only with allowPlainHttp), e.g. https://mirror.example.com/kernels/vmlinuz-7.2.0; got \\'' + self + '\\''")
    @JsonPropertyDescription("https URL of the kernel image (bzImage), instead of image: each selected node's agent downloads it ahead of the waves into its staging directory (named by the checksum, only from URL prefixes the admin allows) and loads it from there. Needs sha256. Exactly one of image and url.")
    private String url;

    @Size(max = MAX_URL_LENGTH)
    @ValidationRule(value = "self.matches('" + ApiPatterns.KERNEL_URL + "')", messageExpression = "'kernel.initrdUrl must be an https:// URL with a host and without credentials (no user:password@; http:// only with allowPlainHttp); got \\'' + self + '\\''")
    @JsonPropertyDescription("https URL of the initrd, with url (instead of initrd). Optional; needs initrdSha256.")
    private String initrdUrl;

    @JsonPropertyDescription("Allow http:// in url and initrdUrl. The checksum still decides what is loaded, but the download can be read and stalled on the way; default false.")
    private Boolean allowPlainHttp;

    @ValidationRule(value = "self.matches('" + ApiPatterns.NORMALISED_ABSOLUTE_PATH + "')", messageExpression = "'kernel.initrd must be an absolute, normalised host path (no \\'.\\' or \\'..\\' segments, no \\'//\\', no trailing \\'/\\'), e.g. /boot/initrd.img-7.2.0; got \\'' + self + '\\''")
    @Size(max = 4096)
    @JsonPropertyDescription("Absolute path of the initrd on the host, with image. Optional.")
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

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getInitrdUrl() {
        return initrdUrl;
    }

    public void setInitrdUrl(String initrdUrl) {
        this.initrdUrl = initrdUrl;
    }

    public Boolean getAllowPlainHttp() {
        return allowPlainHttp;
    }

    public void setAllowPlainHttp(Boolean allowPlainHttp) {
        this.allowPlainHttp = allowPlainHttp;
    }

    /** The kernel comes from a URL (staged by the agent) rather than a host path. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean fromUrl() {
        return url != null;
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
