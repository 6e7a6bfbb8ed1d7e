package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoException;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.testing.ChildJvm;
import dev.liveupdate.luo.testing.SimMachines;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation-A simulator rules beyond the conformance suite: lifecycle, holder death, per-session events. */
class GenerationASimulatorTest {
    @TempDir
    Path temp;

    private SimMachines machine;

    @BeforeEach
    void machine() {
        machine = new SimMachines(temp.resolve("node"), Generation.A);
    }

    private static LuoSession sessionWithData(SimulatedKernel k, LuoDevice d, String name, byte[] data) {
        LuoSession s = d.createSession(name);
        s.preserve(SimMachines.memfd(k, name, data), 1);
        return s;
    }

    private static String errnoOf(Runnable r) {
        try {
            r.run();
        } catch (LuoException e) {
            return e.errnoName();
        }
        return "success";
    }

    @Test
    void kexecFromNormalHandsOverNothing() {
        SimulatedKernel k = machine.process();
        String bootBefore = k.hostInfo().bootId();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        sessionWithData(k, d, "not-prepared", new byte[] {1});
        SimulatedKernel next = machine.kexec(k, "6.18.0-next");
        assertThat(machine.exits()).containsExactly(SimulatedKernel.KEXEC_EXIT_STATUS);
        assertThat(next.hostInfo().bootId()).isNotEqualTo(bootBefore);
        try (LuoDevice d2 = LuoDevices.open(next, next.devicePath())) {
            assertThat(d2.state()).isEqualTo(LuoState.NORMAL);
            assertThat(errnoOf(() -> d2.retrieveSession("not-prepared"))).isEqualTo("EAGAIN");
        }
    }

    @Test
    void globalPrepareAndCancelMoveTheSessions() {
        SimulatedKernel k = machine.process();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath()); LuoSession s = d.createSession("s")) {
            d.prepare();
            assertThat(s.state()).isEqualTo(LuoState.PREPARED);
            d.cancel();
            assertThat(s.state()).isEqualTo(LuoState.NORMAL);
        }
    }

    @Test
    void perSessionEvents() {
        SimulatedKernel k = machine.process();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath()); LuoSession s = d.createSession("s")) {
            assertThat(errnoOf(() -> s.sendEvent(LuoEvent.FREEZE))).isEqualTo("EINVAL");
            assertThat(errnoOf(() -> s.sendEvent(LuoEvent.CANCEL))).isEqualTo("EINVAL");
            assertThat(errnoOf(s::finish)).as("FINISH needs an UPDATED session").isEqualTo("EINVAL");
            s.sendEvent(LuoEvent.PREPARE);
            assertThat(s.state()).isEqualTo(LuoState.PREPARED);
            assertThat(errnoOf(() -> s.preserve(SimMachines.memfd(k, "x", new byte[0]), 1))).isEqualTo("EBUSY");
            assertThat(errnoOf(() -> s.sendEvent(LuoEvent.PREPARE))).isEqualTo("EINVAL");
            s.sendEvent(LuoEvent.CANCEL);
            assertThat(s.state()).isEqualTo(LuoState.NORMAL);
        }
    }

    @Test
    void updatedSessionsFinishOneByOneAndIncomingNamesAreTakenUntilGlobalFinish() {
        SimulatedKernel k = machine.process();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        sessionWithData(k, d, "kept", new byte[] {1, 2});
        sessionWithData(k, d, "unclaimed", new byte[] {3});
        d.prepare();
        SimulatedKernel next = machine.kexec(k, "6.18.1");
        try (LuoDevice d2 = LuoDevices.open(next, next.devicePath())) {
            assertThat(d2.state()).isEqualTo(LuoState.UPDATED);
            assertThat(errnoOf(() -> d2.createSession("unclaimed"))).as("incoming names are in use").isEqualTo("EEXIST");
            LuoSession kept = d2.retrieveSession("kept");
            int first = kept.retrieve(1);
            int second = kept.retrieve(1);
            assertThat(second).isNotEqualTo(first);
            assertThat(SimMachines.contents(next, second)).containsExactly(1, 2);
            kept.finish();
            assertThat(kept.state()).isEqualTo(LuoState.NORMAL);
            assertThat(errnoOf(() -> kept.retrieve(1))).as("session no longer UPDATED").isEqualTo("EBUSY");
            assertThat(SimMachines.contents(next, first)).as("restored fds stay valid").containsExactly(1, 2);
            d2.finish();
            d2.createSession("unclaimed").close();
            kept.close();
        }
    }

    @Test
    void aClosedRetrievedSessionIsGone() {
        SimulatedKernel k = machine.process();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        sessionWithData(k, d, "s", new byte[] {1});
        d.prepare();
        SimulatedKernel next = machine.kexec(k, "6.18.1");
        try (LuoDevice d2 = LuoDevices.open(next, next.devicePath())) {
            d2.retrieveSession("s").close();
            assertThat(errnoOf(() -> d2.retrieveSession("s"))).isEqualTo("ENOENT");
        }
    }

    @Test
    void holderDeathDropsSessionsButKeepsTheGlobalState() throws Exception {
        ChildJvm.Outcome child = ChildJvm.run(HolderMain.class, machine.dir().toString(), "A", "prepare", "vm");
        assertThat(child.output()).contains("DYING");
        assertThat(child.status()).isEqualTo(3);
        SimulatedKernel k = machine.process();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath())) {
            assertThat(d.state()).as("global state survives its holder").isEqualTo(LuoState.PREPARED);
            assertThat(errnoOf(() -> d.createSession("vm"))).isEqualTo("EAGAIN");
            d.cancel();
            d.createSession("vm").close();
        }
    }

    @Test
    void inJvmProcessDeathBehavesTheSame() {
        SimulatedKernel k = machine.process();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        sessionWithData(k, d, "vm", new byte[] {9});
        d.prepare();
        k.simulateProcessDeath();
        assertThat(k.halted()).isTrue();
        assertThatThrownBy(() -> k.open(k.devicePath().toString(), 2)).isInstanceOf(IllegalStateException.class);
        SimulatedKernel k2 = machine.process();
        try (LuoDevice d2 = LuoDevices.open(k2, k2.devicePath())) {
            assertThat(d2.state()).isEqualTo(LuoState.PREPARED);
            d2.cancel();
            d2.createSession("vm").close();
        }
    }

    @Test
    void aSessionRetrievedByADeadProcessIsGone() throws Exception {
        SimulatedKernel k = machine.process();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        sessionWithData(k, d, "vm", new byte[] {9});
        d.prepare();
        machine.kexec(k, "6.18.2");
        ChildJvm.Outcome child = ChildJvm.run(HolderMain.class, machine.dir().toString(), "A", "retrieve", "vm");
        assertThat(child.output()).contains("DYING");
        SimulatedKernel k2 = machine.process();
        try (LuoDevice d2 = LuoDevices.open(k2, k2.devicePath())) {
            assertThat(d2.state()).isEqualTo(LuoState.UPDATED);
            assertThat(errnoOf(() -> d2.retrieveSession("vm"))).isEqualTo("ENOENT");
            d2.finish();
        }
    }
}
