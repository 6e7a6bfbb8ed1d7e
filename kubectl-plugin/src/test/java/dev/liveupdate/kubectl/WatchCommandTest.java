package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class WatchCommandTest {

    private static LiveUpdate plan(Long generation, Long observed) {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName("p").withGeneration(generation).build());
        LiveUpdateStatus st = new LiveUpdateStatus();
        st.setObservedGeneration(observed);
        lu.setStatus(st);
        return lu;
    }

    @Test
    void aPhaseOfAnEarlierGenerationDoesNotEndTheWatch() {
        assertThat(WatchCommand.caughtUp(plan(3L, 2L))).isFalse();
        assertThat(WatchCommand.caughtUp(plan(3L, null))).isFalse();
        assertThat(WatchCommand.caughtUp(plan(3L, 3L))).isTrue();
        assertThat(WatchCommand.caughtUp(plan(null, null))).as("a server that keeps no generation").isTrue();
    }
}
