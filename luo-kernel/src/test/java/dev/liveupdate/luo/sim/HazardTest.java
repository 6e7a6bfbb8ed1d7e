package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.abi.ARestoreFd;
import dev.liveupdate.luo.abi.BRetrieveFd;
import dev.liveupdate.luo.abi.BRetrieveSession;
import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.conformance.RecordingKernelCalls;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.testing.SimMachines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two cross-generation hazards of the ABI doc are real (shown with raw ioctls on the
 * simulator), and the bound implementation never produces them.
 */
class HazardTest {
    @TempDir
    Path temp;

    @Test
    void bRetrieveSessionWithEmptyNameIsPrepareOnA() {
        SimulatedKernel kernel = SimulatedKernel.at(temp.resolve("a"), Generation.A);
        try (LuoDevice device = LuoDevices.open(kernel, kernel.devicePath())) {
            assertThat(device.state()).isEqualTo(LuoState.NORMAL);
            BRetrieveSession bStruct = new BRetrieveSession(); // size 72, empty name
            bStruct.write();
            int rc = kernel.ioctl(device.fd(), LuoAbi.B.RETRIEVE_SESSION, bStruct.getPointer());
            assertThat(rc).isZero();
            assertThat(device.state()).as("0xBA01 with 72 zero-tailed bytes is SET_EVENT(PREPARE)")
                    .isEqualTo(LuoState.PREPARED);
            device.cancel();
        }
    }

    @Test
    void aRestoreFdWithTokenZeroIsFinishOnB() {
        SimMachines machine = new SimMachines(temp.resolve("b"), Generation.B);
        SimulatedKernel before = machine.process();
        LuoDevice device = LuoDevices.open(before, before.devicePath());
        LuoSession outgoing = device.createSession("vm");
        outgoing.preserve(SimMachines.memfd(before, "ram", new byte[] {1, 2, 3}), 0);
        outgoing.preserve(SimMachines.memfd(before, "ram2", new byte[] {4}), 1);
        SimulatedKernel after = machine.kexec(before, "7.2.1");

        try (LuoDevice next = LuoDevices.open(after, after.devicePath())) {
            LuoSession incoming = next.retrieveSession("vm");
            ARestoreFd aStruct = new ARestoreFd(); // size 16, token 0
            aStruct.write();
            int rc = after.ioctl(incoming.fd(), LuoAbi.A.RESTORE_FD, aStruct.getPointer());
            assertThat(rc).isZero();
            assertThat(aStruct.getPointer().getInt(4)).as("no fd came back: it was FINISH").isZero();
            assertThatThrownBy(() -> incoming.retrieve(0)).as("FINISH released the unretrieved files")
                    .isInstanceOf(ErrnoException.class).hasMessageContaining("ENOENT");
            incoming.close();
        }
    }

    @Test
    void boundInterfaceSendsNeitherHazard() {
        for (Generation g : Generation.values()) {
            SimulatedKernel kernel = SimulatedKernel.at(temp.resolve("bound-" + g), g);
            RecordingKernelCalls calls = new RecordingKernelCalls(kernel);
            try (LuoDevice device = LuoDevices.open(calls, kernel.devicePath())) {
                assertThatThrownBy(() -> device.retrieveSession("")).isInstanceOf(IllegalArgumentException.class);
                try (LuoSession s = device.createSession("s")) {
                    try {
                        s.retrieve(0);
                    } catch (ErrnoException expected) {
                        // A: EBUSY (not UPDATED); B: ENOENT (outgoing)
                    }
                }
                try {
                    device.retrieveSession("s");
                } catch (ErrnoException expected) {
                    // A: EAGAIN; B: ENOENT
                }
            }
            for (RecordingKernelCalls.SentIoctl io : calls.sent()) {
                if (g == Generation.A) {
                    assertThat(io.request() == LuoAbi.B.RETRIEVE_SESSION && io.size() == 72).as(io.toString()).isFalse();
                } else {
                    assertThat(io.request() == LuoAbi.A.RESTORE_FD && io.size() == 16).as(io.toString()).isFalse();
                }
            }
            assertThat(calls.sent()).anySatisfy(io -> assertThat(io.request()).isEqualTo(
                    g == Generation.A ? LuoAbi.A.RESTORE_FD : LuoAbi.B.RETRIEVE_FD));
        }
        assertThat(new BRetrieveFd().size()).isEqualTo(16);
    }
}
