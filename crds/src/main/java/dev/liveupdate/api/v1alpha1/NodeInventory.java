package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The node's live-update capability, kept current by its agent even when no plan runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeInventory {
    @JsonPropertyDescription("True when the agent holds /dev/liveupdate and can take part in a live update.")
    private Boolean capable;
    @JsonPropertyDescription("The ABI generation of the node's /dev/liveupdate: A, B, or None.")
    private AbiGeneration abi;
    @JsonPropertyDescription("Generation A only: the global LUO state.")
    private DeviceState deviceState;
    @JsonPropertyDescription("The running kernel release (uname -r).")
    private String kernelRelease;
    @JsonPropertyDescription("The running boot ID (/proc/sys/kernel/random/boot_id).")
    private String bootID;
    @JsonPropertyDescription("Version of the node agent.")
    private String agentVersion;
    @JsonPropertyDescription("How this agent performs the kexec.")
    private RebootStrategy rebootStrategy;
    @JsonPropertyDescription("Why the node cannot live-update, when capable is false.")
    private String reason;
    @JsonPropertyDescription("What fleet preflight checks plans against: kernel files, kexec policy, free space, registrations. Absent from agents that predate it.")
    private PreflightFacts preflight;

    public PreflightFacts getPreflight() {
        return preflight;
    }

    public void setPreflight(PreflightFacts preflight) {
        this.preflight = preflight;
    }

    public Boolean getCapable() {
        return capable;
    }

    public void setCapable(Boolean capable) {
        this.capable = capable;
    }

    public AbiGeneration getAbi() {
        return abi;
    }

    public void setAbi(AbiGeneration abi) {
        this.abi = abi;
    }

    public DeviceState getDeviceState() {
        return deviceState;
    }

    public void setDeviceState(DeviceState deviceState) {
        this.deviceState = deviceState;
    }

    public String getKernelRelease() {
        return kernelRelease;
    }

    public void setKernelRelease(String kernelRelease) {
        this.kernelRelease = kernelRelease;
    }

    public String getBootID() {
        return bootID;
    }

    public void setBootID(String bootID) {
        this.bootID = bootID;
    }

    public String getAgentVersion() {
        return agentVersion;
    }

    public void setAgentVersion(String agentVersion) {
        this.agentVersion = agentVersion;
    }

    public RebootStrategy getRebootStrategy() {
        return rebootStrategy;
    }

    public void setRebootStrategy(RebootStrategy rebootStrategy) {
        this.rebootStrategy = rebootStrategy;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
