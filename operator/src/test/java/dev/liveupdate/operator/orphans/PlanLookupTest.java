package dev.liveupdate.operator.orphans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.PlanReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanLookupTest {
    private final List<String> asked = new ArrayList<>();

    private static LiveUpdate plan(String name, String uid) {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new ObjectMetaBuilder().withName(name).withUid(uid).build());
        return lu;
    }

    private static PlanReference ref(String name, String uid) {
        PlanReference r = new PlanReference();
        r.setName(name);
        r.setUid(uid);
        r.setGeneration(1L);
        return r;
    }

    private PlanLookup lookup(Map<String, LiveUpdate> cache, Map<String, LiveUpdate> server) {
        return new PlanLookup(name -> Optional.ofNullable(cache.get(name)), name -> {
            asked.add(name);
            return server.get(name);
        });
    }

    @Test
    void aPlanInTheCacheWithTheSameUidIsLiveWithoutAskingTheServer() {
        assertThat(lookup(Map.of("p", plan("p", "u1")), Map.of()).whyGone(ref("p", "u1"))).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aPlanTheCacheDoesNotShowYetIsLiveWhenTheServerHasIt() {
        // Created a moment ago: the informer has not delivered it, the API server has.
        assertThat(lookup(Map.of(), Map.of("p", plan("p", "u1"))).whyGone(ref("p", "u1"))).isEmpty();
        assertThat(asked).containsExactly("p");
    }

    @Test
    void aPlanTheServerDoesNotHaveIsGone() {
        assertThat(lookup(Map.of(), Map.of()).whyGone(ref("ghost", "u9")))
                .contains("no LiveUpdate named ghost exists");
    }

    @Test
    void aPlanRecreatedUnderTheSameNameIsAnotherPlan() {
        assertThat(lookup(Map.of("p", plan("p", "u2")), Map.of("p", plan("p", "u2"))).whyGone(ref("p", "u1")))
                .hasValueSatisfying(why -> assertThat(why).contains("LiveUpdate p has uid u2")
                        .contains("deleted and another was created"));
        assertThat(asked).as("a cached mismatch is confirmed at the server").containsExactly("p");
    }
}
