package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The blackout: from the reboot call in the old kernel until the sessions were restored in the new one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Blackout {
    @JsonPropertyDescription("When the agent issued reboot(KEXEC) (RFC 3339, millisecond precision).")
    private String rebootIssuedAt;
    @JsonPropertyDescription("When the new kernel's agent reopened /dev/liveupdate.")
    private String deviceReopenedAt;
    @JsonPropertyDescription("When every session met its restore rule.")
    private String sessionsRestoredAt;
    @JsonPropertyDescription("sessionsRestoredAt minus rebootIssuedAt, in milliseconds.")
    private Long durationMillis;
    @JsonPropertyDescription("The same duration for people, e.g. 4.21s.")
    private String duration;

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
}
