package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Pods that hold their node back: while any matching pod runs on a node, that node does not start. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Blocker {
    @Required
    @JsonPropertyDescription("A name for this blocker, shown in status when it holds a node back.")
    private String name;

    @Required
    @JsonPropertyDescription("Label selector of the blocking pods.")
    private LabelSelector podSelector;

    @JsonPropertyDescription("Namespaces to look in. Empty means all namespaces.")
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
