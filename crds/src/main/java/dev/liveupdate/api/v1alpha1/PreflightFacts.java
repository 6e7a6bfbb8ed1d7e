package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What fleet preflight checks a plan against, kept current by the agent without any plan: the kernel files it could
 * load, whether the running kernel lets it kexec them, and the files workloads registered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreflightFacts {
    @JsonPropertyDescription("The agent's kernel directories (liveupdate.agent.kernel-dirs) with the free space on each.")
    private List<KernelDirectory> kernelDirs;
    @JsonPropertyDescription("Regular files directly in the kernel directories, the newest first, at most 16.")
    private List<KernelImageFile> kernelFiles;
    @JsonPropertyDescription("How many more files the kernel directories hold than kernelFiles lists.")
    private Integer kernelFilesOmitted;
    @JsonPropertyDescription("The running kernel's lockdown mode: None, Integrity, Confidentiality, or Unknown when unreadable. In Integrity and Confidentiality kexec_file_load takes only an image signed by a key the kernel trusts.")
    private LockdownMode lockdown;
    @JsonPropertyDescription("True when the running kernel enforces kexec image signatures (CONFIG_KEXEC_SIG_FORCE=y); absent when the agent cannot read the kernel config.")
    private Boolean kexecSignatureEnforced;
    @JsonPropertyDescription("True when /proc/sys/kernel/kexec_load_disabled is 1: this boot refuses every kexec load; absent when unreadable.")
    private Boolean kexecLoadDisabled;
    @JsonPropertyDescription("Files workloads handed to the agent, counted per session name (registered or preserved).")
    private List<Registration> registrations;

    public List<KernelDirectory> getKernelDirs() {
        return kernelDirs;
    }

    public void setKernelDirs(List<KernelDirectory> kernelDirs) {
        this.kernelDirs = kernelDirs;
    }

    public List<KernelImageFile> getKernelFiles() {
        return kernelFiles;
    }

    public void setKernelFiles(List<KernelImageFile> kernelFiles) {
        this.kernelFiles = kernelFiles;
    }

    public Integer getKernelFilesOmitted() {
        return kernelFilesOmitted;
    }

    public void setKernelFilesOmitted(Integer kernelFilesOmitted) {
        this.kernelFilesOmitted = kernelFilesOmitted;
    }

    public LockdownMode getLockdown() {
        return lockdown;
    }

    public void setLockdown(LockdownMode lockdown) {
        this.lockdown = lockdown;
    }

    public Boolean getKexecSignatureEnforced() {
        return kexecSignatureEnforced;
    }

    public void setKexecSignatureEnforced(Boolean kexecSignatureEnforced) {
        this.kexecSignatureEnforced = kexecSignatureEnforced;
    }

    public Boolean getKexecLoadDisabled() {
        return kexecLoadDisabled;
    }

    public void setKexecLoadDisabled(Boolean kexecLoadDisabled) {
        this.kexecLoadDisabled = kexecLoadDisabled;
    }

    public List<Registration> getRegistrations() {
        return registrations;
    }

    public void setRegistrations(List<Registration> registrations) {
        this.registrations = registrations;
    }
}
