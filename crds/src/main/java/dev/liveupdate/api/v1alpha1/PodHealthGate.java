package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Pods that must be Ready again on a node before the node counts as done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodHealthGate {
    @Required
    @Size(min = 1, max = 63)
    @Pattern(ApiPatterns.SESSION_NAME)
    @JsonPropertyDescription("A name for this gate, shown in the node's failure reason and the plan's status when it does not hold.")
    private String name;

    @Required
    @JsonPropertyDescription("Label selector of the pods (matchLabels and matchExpressions). Only pods scheduled on the node count.")
    private LabelSelector podSelector;

    @Size(max = 16)
    @JsonPropertyDescription("Namespaces to look in. Empty means all namespaces (the operator's blocker namespaces still bound where it looks).")
    private List<String> namespaces;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public LabelSelector getPodSelector() {
        return podSelector;
    }

    public void setPodSelector(LabelSelector podSelector) {
        this.podSelector = podSelector;
    }

    public List<String> getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(List<String> namespaces) {
        this.namespaces = namespaces;
    }
}
