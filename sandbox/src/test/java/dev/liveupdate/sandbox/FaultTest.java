package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {
    @Test
    void parsesEveryKind() {
        assertThat(Fault.parse("prepare-fail=node-1")).isEqualTo(new Fault(Fault.Kind.PREPARE_FAIL, "node-1", null));
        assertThat(Fault.parse("kill-agent=node-2@Prepared")).isEqualTo(new Fault(Fault.Kind.KILL_AGENT, "node-2", "Prepared"));
        assertThat(Fault.parse("no-reclaim=node-3")).isEqualTo(new Fault(Fault.Kind.NO_RECLAIM, "node-3", null));
        assertThat(Fault.parse("freeze-no-ack=node-2")).isEqualTo(new Fault(Fault.Kind.FREEZE_NO_ACK, "node-2", null));
        assertThat(Fault.parse("No-Reclaim=node-1").kind()).as("kind is case-insensitive like the others").isEqualTo(Fault.Kind.NO_RECLAIM);
    }

    @Test
    void badFaultsSayWhatToWrite() {
        assertThatThrownBy(() -> Fault.parse("kill-agent=node-2")).hasMessageContaining("NODE@PHASE");
        assertThatThrownBy(() -> Fault.parse("kill-agent=@Prepared")).hasMessageContaining("NODE@PHASE");
        assertThatThrownBy(() -> Fault.parse("kill-agent=node-2@Prepare")).hasMessageContaining("not a LiveUpdateNode phase")
                .hasMessageContaining("Prepared");
        assertThatThrownBy(() -> Fault.parse("explode=node-1")).hasMessageContaining("prepare-fail, kill-agent, no-reclaim, freeze-no-ack or kill-operator");
        assertThatThrownBy(() -> Fault.parse("no-reclaim=")).hasMessageContaining("no-reclaim=NODE");
        assertThatThrownBy(() -> Fault.parse("no-reclaim")).hasMessageContaining("no-reclaim=NODE");
        assertThatThrownBy(() -> Fault.parse("no-reclaim=node-1@Restoring")).hasMessageContaining("no-reclaim takes just a NODE");
        assertThatThrownBy(() -> Fault.parse("freeze-no-ack=node-1@Rebooting")).hasMessageContaining("freeze-no-ack takes just a NODE");
        assertThatThrownBy(() -> Fault.parse("prepare-fail=node-1@Prepared")).hasMessageContaining("prepare-fail takes just a NODE");
    }

    @Test
    void aFaultMustNameANodeOfTheFleet() {
        List<Fault> faults = List.of(Fault.parse("no-reclaim=node-3"));
        assertThat(new FleetOptions(3, "A", Path.of("x"), faults, Duration.ofMinutes(1)).faults()).isEqualTo(faults);
        assertThatThrownBy(() -> new FleetOptions(2, "A", Path.of("x"), faults, Duration.ofMinutes(1)))
                .hasMessageContaining("--fault no-reclaim=node-3 names no node of this fleet")
                .hasMessageContaining("node-1 to node-2");
        assertThatThrownBy(() -> new FleetOptions(1, "A", Path.of("x"), List.of(Fault.parse("kill-agent=nodes-1@Prepared")), Duration.ofMinutes(1)))
                .hasMessageContaining("names no node of this fleet: the nodes are node-1");
    }

    @Test
    void killOperatorFiresAtAPhaseOfAnyNodeOrOfOneNode() {
        Fault any = Fault.parse("kill-operator=Rebooting");
        assertThat(any).isEqualTo(new Fault(Fault.Kind.KILL_OPERATOR, null, "Rebooting"));
        assertThat(any.killsOperatorAt("node-3", "Rebooting")).isTrue();
        assertThat(any.killsOperatorAt("node-3", "Prepared")).isFalse();
        Fault one = Fault.parse("kill-operator=node-2@Restoring");
        assertThat(one.killsOperatorAt("node-2", "Restoring")).isTrue();
        assertThat(one.killsOperatorAt("node-1", "Restoring")).isFalse();
        assertThat(one.targets(Fault.Kind.KILL_AGENT, "node-2")).as("not an agent fault").isFalse();
        assertThat(Fault.parse("no-reclaim=node-2").killsOperatorAt("node-2", "Restoring")).isFalse();
        assertThatThrownBy(() -> Fault.parse("kill-operator=Reboot")).hasMessageContaining("not a LiveUpdateNode phase");
        assertThatThrownBy(() -> Fault.parse("kill-operator=@Rebooting")).hasMessageContaining("PHASE or NODE@PHASE");
        // Without a node it names no node that could be missing; with one, it must be a node of the fleet.
        assertThat(new FleetOptions(2, "A", Path.of("x"), List.of(any), Duration.ofMinutes(1), 2).faults()).containsExactly(any);
        assertThatThrownBy(() -> new FleetOptions(1, "A", Path.of("x"), List.of(one), Duration.ofMinutes(1), 2))
                .hasMessageContaining("names no node of this fleet");
        assertThatThrownBy(() -> new FleetOptions(2, "A", Path.of("x"), List.of(any), Duration.ofMinutes(1), 1))
                .hasMessageContaining("kill-operator needs a standby to take over: --operators 2 or more");
    }

    @Test
    void targetsOnlyItsKindAndNode() {
        Fault f = Fault.parse("no-reclaim=node-2");
        assertThat(f.targets(Fault.Kind.NO_RECLAIM, "node-2")).isTrue();
        assertThat(f.targets(Fault.Kind.NO_RECLAIM, "node-1")).isFalse();
        assertThat(f.targets(Fault.Kind.PREPARE_FAIL, "node-2")).isFalse();
    }
}
