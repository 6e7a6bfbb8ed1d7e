package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node's measured blackout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeBlackout {
    @JsonPropertyDescription("Node name.")
    private String node;
    @JsonPropertyDescription("Its blackout in milliseconds, as its agent reported it.")
    private Long millis;
    @JsonPropertyDescription("The same for people, e.g. 4.21s.")
    private String duration;

    public NodeBlackout() {
    }

    public NodeBlackout(String node, Long millis, String duration) {
        this.node = node;
        this.millis = millis;
        this.duration = duration;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public Long getMillis() {
        return millis;
    }

    public void setMillis(Long millis) {
        this.millis = millis;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }
}
