package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SoakTest {

    private static PassContext pass(String soak) {
        World w = new World().nodes(4);
        World.SimPlan p = w.plan("p", World.spec(1, 1));
        p.spec.getStrategy().setSoakTime(soak);
        return Passes.of(w, p);
    }

    private static void settled(PassContext pass, String node, int wave, Instant at) {
        Tracked t = Passes.node(pass, node);
        t.wave = wave;
        t.settledAt = at;
    }

    @Test
    void settledBeforeIsTheLastSettlingOfTheWavesBelow() {
        PassContext pass = pass("10m");
        Instant now = pass.now;
        settled(pass, "node-000", 1, now.minusSeconds(300));
        settled(pass, "node-001", 2, now.minusSeconds(100));
        settled(pass, "node-002", 3, now.minusSeconds(10)); // wave 3 itself does not count for wave 3
        Soak soak = new Soak(pass);
        assertThat(soak.settledBefore(3)).isEqualTo(now.minusSeconds(100));
        assertThat(soak.settledBefore(2)).isEqualTo(now.minusSeconds(300));
        assertThat(soak.settledBefore(1)).isNull();
    }

    @Test
    void aWaveWaitsOutTheSoakAndSaysUntilWhen() {
        PassContext pass = pass("10m");
        Instant settled = pass.now.minusSeconds(60);
        settled(pass, "node-000", 1, settled);
        Instant end = settled.plus(Duration.ofMinutes(10));
        assertThat(new Soak(pass).soaked(2)).isFalse();
        assertThat(pass.soakUntil).isEqualTo(end);
        assertThat(pass.wakeUp).isEqualTo(end);
        assertThat(pass.waitingFor).isEqualTo("soaking until " + end);
    }

    @Test
    void aWaveGoesOnOnceTheSoakIsOver() {
        PassContext pass = pass("10m");
        settled(pass, "node-000", 1, pass.now.minus(Duration.ofMinutes(10)));
        assertThat(new Soak(pass).soaked(2)).as("the soak ends exactly now").isTrue();
        assertThat(pass.soakUntil).isNull();
        assertThat(pass.wakeUp).isNull();
    }

    @Test
    void noSoakTimeOrNothingSettledMeansNoWait() {
        PassContext zero = pass("0s");
        settled(zero, "node-000", 1, zero.now);
        assertThat(new Soak(zero).soaked(2)).isTrue();
        PassContext first = pass("1h");
        assertThat(new Soak(first).soaked(1)).isTrue();
        assertThat(first.waitingFor).isNull();
    }
}
