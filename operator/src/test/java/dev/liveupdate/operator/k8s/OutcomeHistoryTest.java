package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.planning.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeHistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private static String outcome(int minutes) {
        return LedgerCodec.encode(new Outcome(UpdateResult.Finished, null, null, 1, T0, T0.plusSeconds(60L * minutes), true));
    }

    @Test
    void outcomesOfPlansThatAreGoneAreDroppedOthersStay() {
        Map<String, String> ann = new HashMap<>(Map.of(
                Annotations.outcomeKey("gone"), outcome(1),
                Annotations.outcomeKey("live"), outcome(2),
                Annotations.outcomeKey("mine"), outcome(3),
                Annotations.LEDGER, "{}", "other/annotation", "x"));
        OutcomeHistory.trim(ann, "mine", Set.of("live")::contains);
        assertThat(ann).containsKeys(Annotations.outcomeKey("live"), Annotations.outcomeKey("mine"), Annotations.LEDGER,
                "other/annotation").doesNotContainKey(Annotations.outcomeKey("gone"));
    }

    @Test
    void beyondTheCapTheOldestGoButNeverTheWritersOwn() {
        Map<String, String> ann = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            ann.put(Annotations.outcomeKey("p" + i), outcome(100 + i));
        }
        ann.put(Annotations.outcomeKey("mine"), outcome(0)); // the oldest, but the one being written
        OutcomeHistory.trim(ann, "mine", uid -> true);
        assertThat(ann).hasSize(OutcomeHistory.MAX_KEPT).containsKey(Annotations.outcomeKey("mine"))
                .containsKey(Annotations.outcomeKey("p19")).doesNotContainKey(Annotations.outcomeKey("p0"));
    }
}
