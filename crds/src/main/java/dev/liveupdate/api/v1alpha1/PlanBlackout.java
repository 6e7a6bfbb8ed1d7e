package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The blackouts of a plan's finished nodes, as the blackout budget sees them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanBlackout {
    @JsonPropertyDescription("Finished nodes (rebooted by this plan) whose agent reported a blackout.")
    private Integer measuredNodes;
    @JsonPropertyDescription("Finished nodes without a reported blackout; they count neither for the percentile nor against maxPerNode.")
    private Integer unmeasuredNodes;
    @JsonPropertyDescription("The percentile observed, e.g. p95 (strategy.blackoutBudget.percentile.quantile; p95 when the plan sets none).")
    private String percentile;
    @JsonPropertyDescription("Its value over the measured nodes, in milliseconds (nearest-rank).")
    private Long percentileMillis;
    @JsonPropertyDescription("The same for people, e.g. 3.2s.")
    private String percentileDuration;
    @Size(max = 5)
    @JsonPropertyDescription("The slowest measured nodes, slowest first (at most 5).")
    private List<NodeBlackout> worstNodes;
    @JsonPropertyDescription("When the budget is exceeded: which limit, the nodes and the figures.")
    private String exceeded;

    public Integer getMeasuredNodes() {
        return measuredNodes;
    }

    public void setMeasuredNodes(Integer measuredNodes) {
        this.measuredNodes = measuredNodes;
    }

    public Integer getUnmeasuredNodes() {
        return unmeasuredNodes;
    }

    public void setUnmeasuredNodes(Integer unmeasuredNodes) {
        this.unmeasuredNodes = unmeasuredNodes;
    }

    public String getPercentile() {
        return percentile;
    }

    public void setPercentile(String percentile) {
        this.percentile = percentile;
    }

    public Long getPercentileMillis() {
        return percentileMillis;
    }

    public void setPercentileMillis(Long percentileMillis) {
        this.percentileMillis = percentileMillis;
    }

    public String getPercentileDuration() {
        return percentileDuration;
    }

    public void setPercentileDuration(String percentileDuration) {
        this.percentileDuration = percentileDuration;
    }

    public List<NodeBlackout> getWorstNodes() {
        return worstNodes;
    }

    public void setWorstNodes(List<NodeBlackout> worstNodes) {
        this.worstNodes = worstNodes;
    }

    public String getExceeded() {
        return exceeded;
    }

    public void setExceeded(String exceeded) {
        this.exceeded = exceeded;
    }
}
