package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultTest {
    @Test
    void parsesBothKinds() {
        assertThat(Fault.parse("prepare-fail=node-1")).isEqualTo(new Fault(Fault.Kind.PREPARE_FAIL, "node-1", null));
        assertThat(Fault.parse("kill-agent=node-2@Prepared")).isEqualTo(new Fault(Fault.Kind.KILL_AGENT, "node-2", "Prepared"));
    }

    @Test
    void badFaultsSayWhatToWrite() {
        assertThatThrownBy(() -> Fault.parse("kill-agent=node-2")).hasMessageContaining("NODE@PHASE");
        assertThatThrownBy(() -> Fault.parse("kill-agent=node-2@Prepare")).hasMessageContaining("not a LiveUpdateNode phase")
                .hasMessageContaining("Prepared");
        assertThatThrownBy(() -> Fault.parse("explode=node-1")).hasMessageContaining("prepare-fail or kill-agent");
    }
}
