package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The order of the dispatch checks (each earlier check wins) and what is (not) copied back. */
class DispatchOrderTest {
    @TempDir
    Path temp;

    private LuoDevice device;
    private SimulatedKernel kernel;

    private LuoDevice open(Generation g) {
        kernel = SimulatedKernel.at(temp.resolve(g.name()), g);
        device = LuoDevices.open(kernel, kernel.devicePath());
        return device;
    }

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
    }

    private Errno errno(int fd, long request, Pointer arg) {
        ErrnoException e = catchThrowableOfType(() -> kernel.ioctl(fd, request, arg), ErrnoException.class);
        assertThat(e).as("ioctl 0x%X should fail", request).isNotNull();
        return e.errno();
    }

    private static Memory struct(int bytes, int size) {
        Memory m = new Memory(bytes);
        m.clear();
        m.setInt(0, size);
        return m;
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void nrOutsideTableWinsOverAFaultingPointer(Generation g) {
        LuoDevice d = open(g);
        assertThat(errno(d.fd(), 0xBA30, Pointer.NULL)).isEqualTo(Errno.EINVAL);
        assertThat(errno(d.fd(), 0xC000BA30L, Pointer.NULL)).as("direction bits do not matter to the nr check").isEqualTo(Errno.EINVAL);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void faultWinsOverWrongEncoding(Generation g) {
        LuoDevice d = open(g);
        assertThat(errno(d.fd(), 0xC008BA00L, Pointer.NULL)).isEqualTo(Errno.EFAULT);
        assertThat(errno(d.fd(), 0xBA00, new Memory(2))).as("fewer than 4 readable bytes").isEqualTo(Errno.EFAULT);
        assertThat(errno(d.fd(), 0xBA00, new Pointer(16))).as("a null-page pointer").isEqualTo(Errno.EFAULT);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void wrongEncodingWinsOverSize(Generation g) {
        LuoDevice d = open(g);
        assertThat(errno(d.fd(), 0x8004BA00L, struct(8, 1))).isEqualTo(Errno.ENOTTY);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void sizeBelowMinimumWinsOverTail(Generation g) {
        LuoDevice d = open(g);
        Memory m = struct(128, 4);
        m.setByte(100, (byte) 1);
        assertThat(errno(d.fd(), 0xBA00, m)).isEqualTo(Errno.EINVAL);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void sizeBeyondTheReadableMemoryFaults(Generation g) {
        LuoDevice d = open(g);
        long create = g == Generation.A ? 0xBA02 : 0xBA00;
        assertThat(errno(d.fd(), create, struct(72, 4096))).isEqualTo(Errno.EFAULT);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void nothingIsCopiedBackOnError(Generation g) {
        LuoDevice d = open(g);
        try (LuoSession existing = d.createSession("taken")) {
            long create = g == Generation.A ? 0xBA02 : 0xBA00;
            int size = g == Generation.A ? 64 : 72;
            Memory m = struct(size, size);
            m.setInt(4, -7);
            m.setString(8, "taken", "US-ASCII");
            assertThat(errno(d.fd(), create, m)).isEqualTo(Errno.EEXIST);
            assertThat(m.getInt(4)).as("fd field untouched on failure").isEqualTo(-7);
        }
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void nameWithoutNulIsRejected(Generation g) {
        LuoDevice d = open(g);
        long create = g == Generation.A ? 0xBA02 : 0xBA00;
        int size = g == Generation.A ? 64 : 72;
        Memory m = struct(size, size);
        for (int i = 8; i < size; i++) {
            m.setByte(i, (byte) 'x');
        }
        assertThat(errno(d.fd(), create, m)).isEqualTo(Errno.EINVAL);
    }

    @ParameterizedTest
    @EnumSource(Generation.class)
    void otherFdsGoToTheRealKernel(Generation g) {
        open(g);
        int memfd = kernel.memfdCreate("plain", 1);
        try {
            assertThat(errno(memfd, 0xBA00, struct(8, 8))).isEqualTo(Errno.ENOTTY);
        } finally {
            kernel.close(memfd);
        }
    }
}
