package dev.liveupdate.operator.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRevisionTest {

    static Map<String, String> labels(String hash, String generation) {
        return Map.of(AgentRevision.HASH_LABEL, hash, AgentRevision.GENERATION_LABEL, generation);
    }

    @Test
    void aPodOfTheCurrentRevisionIsNotOutdated() {
        assertThat(new AgentRevision("h2", "2").outdated(labels("h2", "2"))).isFalse();
    }

    @Test
    void aPodOfAnOlderTemplateIsOutdated() {
        assertThat(new AgentRevision("h2", "2").outdated(labels("h1", "1"))).isTrue();
    }

    @Test
    void aRollbackToTheTemplateAPodRunsLeavesThatPodAlone() {
        // Template generation 3 is the old template again: the controller reuses revision h1 (renumbered).
        assertThat(new AgentRevision("h1", "3").outdated(labels("h1", "1"))).isFalse();
    }

    @Test
    void aSpecChangeOutsideTheTemplateMakesNoPodOutdated() {
        // metadata.generation moved to 5 (updateStrategy changed), the template generation did not: what counts is
        // the template generation, so a fresh pod is never replaced over and over.
        assertThat(new AgentRevision(null, "2").outdated(Map.of(AgentRevision.GENERATION_LABEL, "2"))).isFalse();
        assertThat(new AgentRevision(null, "2").outdated(Map.of(AgentRevision.GENERATION_LABEL, "1"))).isTrue();
    }

    @Test
    void aStaleRevisionCacheStillRecognisesTheNewPodsByTheirTemplateGeneration() {
        // The ControllerRevision of template generation 2 is not in the cache yet; its pods carry generation 2.
        assertThat(new AgentRevision("h1", "2").outdated(labels("h2", "2"))).isFalse();
    }

    @Test
    void withNothingToCompareNoPodIsOutdated() {
        AgentRevision unknown = new AgentRevision(null, null);
        assertThat(unknown.known()).isFalse();
        assertThat(unknown.outdated(labels("h1", "1"))).isFalse();
        assertThat(new AgentRevision("h2", null).outdated(null)).isTrue();
    }
}
