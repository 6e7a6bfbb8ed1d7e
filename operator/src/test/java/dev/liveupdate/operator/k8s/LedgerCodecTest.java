package dev.liveupdate.operator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.planning.Failure;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerCodecTest {
    static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void ledgerRoundTrips() {
        Ledger l = new Ledger("uid", 3, T, T.plusSeconds(5), "boot-1", null,
                new Failure("PrepareTimeout", "too slow", T.plusSeconds(9), false), "NodeFailed");
        assertThat(LedgerCodec.decodeLedger(LedgerCodec.encode(l))).isEqualTo(l);
        Ledger minimal = new Ledger("uid", 1, T, T, null, null, null, null);
        assertThat(LedgerCodec.decodeLedger(LedgerCodec.encode(minimal))).isEqualTo(minimal);
        Ledger gated = minimal.withBootBefore("boot-1").withGateSince(T.plusSeconds(70));
        assertThat(LedgerCodec.decodeLedger(LedgerCodec.encode(gated))).as("health gates keep their clock")
                .isEqualTo(gated);
        assertThat(LedgerCodec.encode(minimal)).doesNotContain("gateSince");
    }

    @Test
    void outcomeRoundTrips() {
        Outcome o = new Outcome(UpdateResult.Finished, null, null, 2, T, T.plusSeconds(60), true);
        assertThat(LedgerCodec.decodeOutcome(LedgerCodec.encode(o))).isEqualTo(o);
        Outcome measured = new Outcome(UpdateResult.Finished, null, null, 2, T, T.plusSeconds(60), true, 4210L);
        assertThat(LedgerCodec.decodeOutcome(LedgerCodec.encode(measured))).isEqualTo(measured);
        assertThat(LedgerCodec.encode(o)).as("no blackout, no field").doesNotContain("blackoutMillis");
    }

    @Test
    void garbageDecodesToNullNeverToSomethingElse() {
        assertThat(LedgerCodec.decodeLedger("{not json")).isNull();
        assertThat(LedgerCodec.decodeOutcome("{\"result\":\"Maybe\"}")).isNull();
        assertThat(LedgerCodec.decodeLedger(null)).isNull();
    }
}
