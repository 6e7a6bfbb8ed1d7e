package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The blackout: from the reboot call in the old kernel until the sessions were restored in the new one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Blackout {
    @JsonPropertyDescription("When the agent told the subscribed workloads to freeze, before the reboot (absent when none had subscribed).")
    private String freezeStartedAt;
    @JsonPropertyDescription("How long the agent waited for the freeze acknowledgements, in milliseconds: workloads were paused this long before rebootIssuedAt, on top of durationMillis.")
    private Long freezeMillis;
    @JsonPropertyDescription("The freeze's result, e.g. 'all 2 subscribers acknowledged' or 'deadline 10s passed without pod 5f3d… (onTimeout Proceed)'.")
    private String freezeResult;
    @JsonPropertyDescription("When the agent issued reboot(KEXEC) (RFC 3339, millisecond precision).")
    private String rebootIssuedAt;
    @JsonPropertyDescription("When the new kernel's agent reopened /dev/liveupdate.")
    private String deviceReopenedAt;
    @JsonPropertyDescription("When every session met its restore rule.")
    private String sessionsRestoredAt;
    @JsonPropertyDescription("When the agent process (JVM) of the new kernel started.")
    private String agentStartedAt;
    @JsonPropertyDescription("When that agent had retrieved every session the kernel handed over.")
    private String sessionsRetrievedAt;
    @JsonPropertyDescription("When its workload socket began serving (workloads can take their files back from here on).")
    private String socketServingAt;
    @JsonPropertyDescription("When the first workload took a file back.")
    private String firstFilesTakenAt;
    @JsonPropertyDescription("When the last workload so far took a file back.")
    private String lastFilesTakenAt;
    @JsonPropertyDescription("When the agent of the new kernel reached the API server (restore first: usually after the socket serves).")
    private String apiConnectedAt;
    @JsonPropertyDescription("sessionsRestoredAt minus rebootIssuedAt, in milliseconds.")
    private Long durationMillis;
    @JsonPropertyDescription("The same duration for people, e.g. 4.21s.")
    private String duration;

    public String getFreezeStartedAt() {
        return freezeStartedAt;
    }

    public void setFreezeStartedAt(String freezeStartedAt) {
        this.freezeStartedAt = freezeStartedAt;
    }

    public Long getFreezeMillis() {
        return freezeMillis;
    }

    public void setFreezeMillis(Long freezeMillis) {
        this.freezeMillis = freezeMillis;
    }

    public String getFreezeResult() {
        return freezeResult;
    }

    public void setFreezeResult(String freezeResult) {
        this.freezeResult = freezeResult;
    }

    public String getRebootIssuedAt() {
        return rebootIssuedAt;
    }

    public void setRebootIssuedAt(String rebootIssuedAt) {
        this.rebootIssuedAt = rebootIssuedAt;
    }

    public String getDeviceReopenedAt() {
        return deviceReopenedAt;
    }

    public void setDeviceReopenedAt(String deviceReopenedAt) {
        this.deviceReopenedAt = deviceReopenedAt;
    }

    public String getSessionsRestoredAt() {
        return sessionsRestoredAt;
    }

    public void setSessionsRestoredAt(String sessionsRestoredAt) {
        this.sessionsRestoredAt = sessionsRestoredAt;
    }

    public Long getDurationMillis() {
        return durationMillis;
    }

    public void setDurationMillis(Long durationMillis) {
        this.durationMillis = durationMillis;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public String getAgentStartedAt() {
        return agentStartedAt;
    }

    public void setAgentStartedAt(String agentStartedAt) {
        this.agentStartedAt = agentStartedAt;
    }

    public String getSessionsRetrievedAt() {
        return sessionsRetrievedAt;
    }

    public void setSessionsRetrievedAt(String sessionsRetrievedAt) {
        this.sessionsRetrievedAt = sessionsRetrievedAt;
    }

    public String getSocketServingAt() {
        return socketServingAt;
    }

    public void setSocketServingAt(String socketServingAt) {
        this.socketServingAt = socketServingAt;
    }

    public String getFirstFilesTakenAt() {
        return firstFilesTakenAt;
    }

    public void setFirstFilesTakenAt(String firstFilesTakenAt) {
        this.firstFilesTakenAt = firstFilesTakenAt;
    }

    public String getLastFilesTakenAt() {
        return lastFilesTakenAt;
    }

    public void setLastFilesTakenAt(String lastFilesTakenAt) {
        this.lastFilesTakenAt = lastFilesTakenAt;
    }

    public String getApiConnectedAt() {
        return apiConnectedAt;
    }

    public void setApiConnectedAt(String apiConnectedAt) {
        this.apiConnectedAt = apiConnectedAt;
    }
}
