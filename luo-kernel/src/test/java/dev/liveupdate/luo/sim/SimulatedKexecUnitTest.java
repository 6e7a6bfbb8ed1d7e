package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.Kexec;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoException;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoUnavailableException;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import dev.liveupdate.luo.testing.SimMachines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kexec_file_load and reboot(KEXEC) on the simulator, the hand-over it writes and the boot it leads to. */
class SimulatedKexecUnitTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Generation.class)
    void aFileThatIsNotASimulatedKernelIsEnoexec(Generation g) throws Exception {
        SimulatedKernel k = SimulatedKernel.at(temp.resolve("m"), g);
        Path bogus = Files.writeString(temp.resolve("vmlinuz"), "MZ not a kernel\n");
        LuoException e = catchThrowableOfType(() -> Kexec.load(k, bogus, null, ""), LuoException.class);
        assertThat(e.errnoName()).isEqualTo("ENOEXEC");
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void rebootWithoutALoadedKernelIsEinval(Generation g) {
        SimMachines machine = new SimMachines(temp.resolve("m"), g);
        SimulatedKernel k = machine.process();
        assertThat(catchThrowableOfType(() -> Kexec.execute(k), LuoException.class).errnoName()).isEqualTo("EINVAL");
        Kexec.load(k, SimulatedKernel.writeImage(temp.resolve("img"), "9.0"), null, "");
        Kexec.unload(k);
        assertThat(catchThrowableOfType(() -> Kexec.execute(k), LuoException.class).errnoName()).isEqualTo("EINVAL");
        assertThat(catchThrowableOfType(() -> k.reboot(0x01234567), ErrnoException.class).errnoName()).isEqualTo("EINVAL");
        assertThat(machine.exits()).isEmpty();
        assertThat(k.halted()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void theNextBootHasANewBootIdTheImagesReleaseAndCmdline(Generation g) {
        SimMachines machine = new SimMachines(temp.resolve("m"), g);
        SimulatedKernel k = machine.process();
        String oldBoot = k.hostInfo().bootId();
        Kexec.load(k, SimulatedKernel.writeImage(temp.resolve("img"), "7.3.0-target"), null, "console=ttyS0 quiet");
        Kexec.execute(k);
        assertThat(machine.exits()).containsExactly(SimulatedKernel.KEXEC_EXIT_STATUS);
        assertThat(k.halted()).isTrue();
        assertThatThrownBy(() -> k.open(k.devicePath().toString(), KernelCalls.O_RDWR)).isInstanceOf(IllegalStateException.class);
        SimulatedKernel next = machine.process();
        assertThat(next.hostInfo().bootId()).isNotEqualTo(oldBoot).matches("[0-9a-f-]{36}");
        assertThat(next.hostInfo().kernelRelease()).isEqualTo("7.3.0-target");
        assertThat(next.hostInfo().kernelCmdline()).isEqualTo("console=ttyS0 quiet");
        LuoDevices.open(next, next.devicePath()).close();
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void bytesSizeAndPositionSurviveInANewMemfd(Generation g) throws Exception {
        SimMachines machine = new SimMachines(temp.resolve("m"), g);
        SimulatedKernel k = machine.process();
        byte[] data = new byte[3 * (1 << 20) + 123]; // crosses the simulator's 1 MiB chunks
        new SplittableRandom(42).nextBytes(data);
        LuoDevice d = LuoDevices.open(k, k.devicePath());
        LuoSession s = d.createSession("vm-ram");
        int memfd = SimMachines.memfd(k, "guest-ram", data);
        k.lseek(memfd, 777, KernelCalls.SEEK_SET);
        s.preserve(memfd, 0xFFFF_FFFF_FFFF_FFFFL);
        k.close(memfd);
        if (g == Generation.A) {
            d.prepare();
        }
        SimulatedKernel next = machine.kexec(k, "7.3.0");
        Path current = machine.dir().resolve(Files.readString(machine.dir().resolve("current")).trim());
        assertThat(current.resolve("incoming/manifest.properties")).exists();
        try (Stream<Path> boots = Files.list(machine.dir())) {
            assertThat(boots.filter(p -> p.getFileName().toString().startsWith("boot-"))).containsExactly(current);
        }
        try (LuoDevice d2 = LuoDevices.open(next, next.devicePath()); LuoSession in = d2.retrieveSession("vm-ram")) {
            int restored = in.retrieve(0xFFFF_FFFF_FFFF_FFFFL);
            // A keeps the memfd name; B (as 7.2's memfd_luo_retrieve) creates the new memfd without one.
            assertThat(next.fdTarget(restored)).startsWith(g == Generation.A ? "/memfd:guest-ram" : "/memfd: (deleted)");
            assertThat(next.lseek(restored, 0, KernelCalls.SEEK_CUR)).isEqualTo(777);
            assertThat(SimMachines.contents(next, restored)).isEqualTo(data);
            d2.finishUpdate(java.util.List.of(in));
        }
    }

    @Test
    void aKernelWithoutLuoHasNoDevice() {
        SimulatedKernel k = SimulatedKernel.builder(temp.resolve("m"), Generation.B).luoAvailable(false).build();
        LuoUnavailableException e = catchThrowableOfType(() -> LuoDevices.open(k, k.devicePath()), LuoUnavailableException.class);
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e).hasMessageContaining("CONFIG_LIVEUPDATE").hasMessageContaining("kho=on liveupdate=on");
    }

    @Test
    void aStateDirectoryKeepsItsGeneration() {
        SimulatedKernel.at(temp.resolve("m"), Generation.A);
        assertThatThrownBy(() -> SimulatedKernel.at(temp.resolve("m"), Generation.B))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("generation A");
    }

    @Test
    void theCanonicalDevicePathIsAnAlias() {
        SimulatedKernel k = SimulatedKernel.at(temp.resolve("m"), Generation.B);
        try (LuoDevice d = LuoDevices.open(k, LuoDevices.DEFAULT_PATH)) {
            assertThat(catchThrowableOfType(() -> LuoDevices.open(k, k.devicePath()), LuoException.class).errnoName())
                    .isEqualTo("EBUSY");
        }
    }

    @Test
    void closingTheDeviceReleasesExclusivityForAnotherInstance() {
        SimulatedKernel first = SimulatedKernel.at(temp.resolve("m"), Generation.A);
        SimulatedKernel second = SimulatedKernel.at(temp.resolve("m"), Generation.A);
        LuoDevice d = LuoDevices.open(first, first.devicePath());
        int dup = first.dup(d.fd());
        assertThat(catchThrowableOfType(() -> LuoDevices.open(second, second.devicePath()), LuoException.class).errnoName())
                .isEqualTo("EBUSY");
        d.close();
        assertThat(catchThrowableOfType(() -> LuoDevices.open(second, second.devicePath()), LuoException.class).errnoName())
                .as("a dup still holds the open file").isEqualTo("EBUSY");
        first.close(dup);
        LuoDevices.open(second, second.devicePath()).close();
    }
}
