package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoException;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.testing.ChildJvm;
import dev.liveupdate.luo.testing.SimMachines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation-B simulator rules beyond the conformance suite: limits, FINISH, lifetimes, 6.19 without GET_NAME. */
class GenerationBSimulatorTest {
    @TempDir
    Path temp;

    private SimMachines machine;

    @BeforeEach
    void machine() {
        machine = new SimMachines(temp.resolve("node"), Generation.B);
    }

    private static String errnoOf(Runnable r) {
        try {
            r.run();
        } catch (ErrnoException e) {
            return e.errnoName();
        }
        return "success";
    }

    private SimulatedKernel kexecWith(String... sessions) {
        SimulatedKernel k = machine.process();
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        byte n = 0;
        for (String name : sessions) {
            LuoSession s = d.createSession(name);
            s.preserve(SimMachines.memfd(k, name + "-a", new byte[] {n++}), 1);
            s.preserve(SimMachines.memfd(k, name + "-b", new byte[] {n++, n++}), 2);
        }
        return machine.kexec(k, "7.2.1");
    }

    @Test
    void sessionLimitIsConfigurableAndGivesEnomemOn619() {
        SimulatedKernel k = machine.builder().revision(LuoRevision.V6_19).sessionLimit(3).build();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath())) {
            List<LuoSession> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sessions.add(d.createSession("s" + i));
            }
            assertThat(errnoOf(() -> d.createSession("s3"))).isEqualTo("ENOMEM");
            assertThat(errnoOf(() -> d.createSession("s0"))).as("the limit is checked before the name").isEqualTo("ENOMEM");
            sessions.remove(0).close();
            d.createSession("s3").close();
            sessions.forEach(LuoSession::close);
        }
    }

    @Test
    void sessionLimitOn7xGivesEnospcFromTheKhoBlockSet() {
        SimulatedKernel k = machine.builder().sessionLimit(2).build();
        assertThat(k.revision()).isEqualTo(LuoRevision.V7_2);
        try (LuoDevice d = LuoDevices.open(k, k.devicePath()); LuoSession a = d.createSession("a"); LuoSession b = d.createSession("b")) {
            assertThat(errnoOf(() -> d.createSession("c"))).isEqualTo("ENOSPC");
        }
    }

    @Test
    void revisionFollowsTheReleaseUnlessGiven() {
        assertThat(LuoRevision.forRelease("6.19.3-1-amd64")).isEqualTo(LuoRevision.V6_19);
        assertThat(LuoRevision.forRelease("7.2.13")).isEqualTo(LuoRevision.V7_2);
        assertThat(LuoRevision.forRelease("8.0.0")).isEqualTo(LuoRevision.V7_2);
        assertThat(LuoRevision.V7_2.sessionLimit()).isEqualTo(510_000);
        assertThat(LuoRevision.V7_2.filesPerSession()).isEqualTo(630_000);
        SimulatedKernel old = SimulatedKernel.builder(machine.dir().resolveSibling("old"), Generation.B).initialRelease("6.19.0-sim").build();
        assertThat(old.revision()).isEqualTo(LuoRevision.V6_19);
        try (LuoDevice d = LuoDevices.open(old, old.devicePath()); LuoSession s = d.createSession("s")) {
            assertThat(s.name()).as("6.19 has no GET_NAME: the interface falls back to the known name").isEqualTo("s");
        }
    }

    @Test
    void filesPerSessionIsConfigurableAndGivesEnospc() {
        SimulatedKernel k = machine.builder().filesPerSession(2).build();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath()); LuoSession s = d.createSession("s")) {
            s.preserve(SimMachines.memfd(k, "1", new byte[0]), 1);
            s.preserve(SimMachines.memfd(k, "2", new byte[0]), 2);
            int third = SimMachines.memfd(k, "3", new byte[0]);
            assertThat(errnoOf(() -> s.preserve(third, 2))).as("a used token is EEXIST before ENOSPC").isEqualTo("EEXIST");
            assertThat(errnoOf(() -> s.preserve(third, 3))).isEqualTo("ENOSPC");
        }
    }

    @Test
    void coldBootHasNoIncomingSessions() {
        SimulatedKernel k = machine.process();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath())) {
            assertThat(errnoOf(() -> d.retrieveSession("anything"))).isEqualTo("ENOENT");
        }
    }

    @Test
    void finishReleasesUnretrievedFilesAndKeepsRetrievedOnes() {
        SimulatedKernel next = kexecWith("vm");
        try (LuoDevice d = LuoDevices.open(next, next.devicePath())) {
            LuoSession s = d.retrieveSession("vm");
            int one = s.retrieve(1);
            s.finish();
            assertThat(errnoOf(() -> s.retrieve(2))).isEqualTo("ENOENT");
            s.finish(); // 7.2: a second FINISH finds no files and returns 0
            assertThat(SimMachines.contents(next, one)).containsExactly(0);
            assertThat(errnoOf(() -> d.retrieveSession("vm"))).as("still retrieved while its fd is open").isEqualTo("EINVAL");
            s.close();
            assertThat(errnoOf(() -> d.retrieveSession("vm"))).as("closing finished it for good").isEqualTo("ENOENT");
        }
    }

    @Test
    void incomingSessionsRejectPreserveAndOutgoingOnesRejectFinish() {
        SimulatedKernel next = kexecWith("vm");
        try (LuoDevice d = LuoDevices.open(next, next.devicePath());
                LuoSession in = d.retrieveSession("vm");
                LuoSession out = d.createSession("new")) {
            int memfd = SimMachines.memfd(next, "x", new byte[0]);
            assertThat(errnoOf(() -> in.preserve(memfd, 9))).isEqualTo("EINVAL");
            assertThat(errnoOf(out::finish)).isEqualTo("EINVAL");
            assertThat(errnoOf(() -> out.retrieve(1))).as("7.2: direction checked first").isEqualTo("EINVAL");
        }
    }

    @Test
    void onlyOutgoingSessionsAreHandedOverAtTheNextKexec() {
        SimulatedKernel second = kexecWith("retrieved", "never-retrieved");
        LuoDevice d = LuoDevices.open(second, second.devicePath());
        d.retrieveSession("retrieved");
        LuoSession fresh = d.createSession("fresh");
        fresh.preserve(SimMachines.memfd(second, "f", new byte[] {7}), 5);
        SimulatedKernel third = machine.kexec(second, "7.2.2");
        try (LuoDevice d3 = LuoDevices.open(third, third.devicePath())) {
            assertThat(errnoOf(() -> d3.retrieveSession("retrieved"))).isEqualTo("ENOENT");
            assertThat(errnoOf(() -> d3.retrieveSession("never-retrieved"))).as("pinned only until the next kexec").isEqualTo("ENOENT");
            try (LuoSession f = d3.retrieveSession("fresh")) {
                assertThat(SimMachines.contents(third, f.retrieve(5))).containsExactly(7);
            }
        }
    }

    @Test
    void withoutGetNameTheNrIsOutsideTheTableAndNameFallsBack() {
        SimulatedKernel k = machine.builder().getName(false).build();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath()); LuoSession s = d.createSession("linux-6.19")) {
            Memory m = new Memory(72);
            m.clear();
            m.setInt(0, 72);
            assertThat(errnoOf(() -> k.ioctl(s.fd(), LuoAbi.B.GET_NAME, m))).isEqualTo("EINVAL");
            assertThat(s.name()).isEqualTo("linux-6.19");
        }
    }

    @Test
    void aSessionRetrievedByADeadProcessIsGone() throws Exception {
        kexecWith("vm");
        ChildJvm.Outcome child = ChildJvm.run(HolderMain.class, machine.dir().toString(), "B", "retrieve", "vm");
        assertThat(child.output()).contains("DYING");
        SimulatedKernel k = machine.process();
        try (LuoDevice d = LuoDevices.open(k, k.devicePath())) {
            assertThat(errnoOf(() -> d.retrieveSession("vm"))).isEqualTo("ENOENT");
        }
    }

    @Test
    void unreadableHandOverMakesOpenFailWithEio() throws IOException {
        kexecWith("vm");
        Path current = machine.dir().resolve(Files.readString(machine.dir().resolve("current")).trim());
        Files.writeString(current.resolve("incoming/manifest.properties"), "sessions=1\n");
        SimulatedKernel k = machine.process();
        LuoException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> LuoDevices.open(k, k.devicePath()), LuoException.class);
        assertThat(e.errnoName()).isEqualTo("EIO");
        assertThat(e).hasMessageContaining("deserialize");
    }
}
