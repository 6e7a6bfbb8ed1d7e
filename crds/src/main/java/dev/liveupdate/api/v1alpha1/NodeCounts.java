package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many of the plan's nodes are in each phase. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeCounts {
    @JsonPropertyDescription("Nodes the selector chose.")
    private Integer total;
    @JsonPropertyDescription("Selected nodes that have not started.")
    private Integer pending;
    @JsonPropertyDescription("Nodes preparing (staging the kernel, creating sessions).")
    private Integer preparing;
    @JsonPropertyDescription("Nodes prepared and waiting to reboot (or staged, for targetPhase Prepared).")
    private Integer prepared;
    @JsonPropertyDescription("Nodes rebooting or restoring in the new kernel.")
    private Integer rebooting;
    @JsonPropertyDescription("Nodes rebooted with sessions restored, not yet finished.")
    private Integer updated;
    @JsonPropertyDescription("Nodes finished.")
    private Integer finished;
    @JsonPropertyDescription("Nodes cancelled.")
    private Integer cancelled;
    @JsonPropertyDescription("Nodes failed.")
    private Integer failed;
    @JsonPropertyDescription("Nodes left out because they cannot live-update (no LUO device, no agent).")
    private Integer skipped;
    @JsonPropertyDescription("Nodes held back: by another plan, a blocker pod, or the node being gone.")
    private Integer blocked;

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getPending() {
        return pending;
    }

    public void setPending(Integer pending) {
        this.pending = pending;
    }

    public Integer getPreparing() {
        return preparing;
    }

    public void setPreparing(Integer preparing) {
        this.preparing = preparing;
    }

    public Integer getPrepared() {
        return prepared;
    }

    public void setPrepared(Integer prepared) {
        this.prepared = prepared;
    }

    public Integer getRebooting() {
        return rebooting;
    }

    public void setRebooting(Integer rebooting) {
        this.rebooting = rebooting;
    }

    public Integer getUpdated() {
        return updated;
    }

    public void setUpdated(Integer updated) {
        this.updated = updated;
    }

    public Integer getFinished() {
        return finished;
    }

    public void setFinished(Integer finished) {
        this.finished = finished;
    }

    public Integer getCancelled() {
        return cancelled;
    }

    public void setCancelled(Integer cancelled) {
        this.cancelled = cancelled;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }

    public Integer getSkipped() {
        return skipped;
    }

    public void setSkipped(Integer skipped) {
        this.skipped = skipped;
    }

    public Integer getBlocked() {
        return blocked;
    }

    public void setBlocked(Integer blocked) {
        this.blocked = blocked;
    }
}
