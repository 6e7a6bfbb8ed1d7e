package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Fleet preflight: the plan's needs checked against the inventory of every selected node not started yet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreflightStatus {
    @JsonPropertyDescription("Passed, or how many nodes have a blocking finding (e.g. '3 blocking'); what kubectl get lu shows.")
    private String summary;
    @JsonPropertyDescription("How many selected, not yet started nodes were checked in the last pass.")
    private Integer checkedNodes;
    @JsonPropertyDescription("How many of them have at least one blocking finding.")
    private Integer blockingNodes;
    @JsonPropertyDescription("Findings by reason, blocking first.")
    private List<PreflightFinding> findings;

    public String getSummary() {
        return summary;
    }

    public void setSummary(String summary) {
        this.summary = summary;
    }

    public Integer getCheckedNodes() {
        return checkedNodes;
    }

    public void setCheckedNodes(Integer checkedNodes) {
        this.checkedNodes = checkedNodes;
    }

    public Integer getBlockingNodes() {
        return blockingNodes;
    }

    public void setBlockingNodes(Integer blockingNodes) {
        this.blockingNodes = blockingNodes;
    }

    public List<PreflightFinding> getFindings() {
        return findings;
    }

    public void setFindings(List<PreflightFinding> findings) {
        this.findings = findings;
    }
}
