package dev.liveupdate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Identifies one generation of one LiveUpdate plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanReference {
    @Required
    @JsonPropertyDescription("Name of the LiveUpdate.")
    private String name;

    @Required
    @JsonPropertyDescription("UID of the LiveUpdate (a plan deleted and re-created under the same name is another plan).")
    private String uid;

    @Required
    @JsonPropertyDescription("metadata.generation of the LiveUpdate the instruction was written for.")
    private Long generation;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }

    public Long getGeneration() {
        return generation;
    }

    public void setGeneration(Long generation) {
        this.generation = generation;
    }
}
