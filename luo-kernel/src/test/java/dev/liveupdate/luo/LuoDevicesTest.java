package dev.liveupdate.luo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.testing.ScriptedKernelCalls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** open + probe + binding against scripted kernel answers. */
class LuoDevicesTest {
    private static final Path DEV = LuoDevices.DEFAULT_PATH;

    @Test
    void probeSendsExactlyGetStateWithSize8AndZeroState() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(() -> 5, (fd, req, arg) -> 0);
        try (LuoDevice d = LuoDevices.open(calls, DEV)) {
            assertThat(d.generation()).isEqualTo(Generation.A);
        }
        assertThat(calls.log).containsExactly("open /dev/liveupdate 80002", "ioctl 5 0xBA00 0800000000000000");
        assertThat(calls.closed).containsExactly(5);
    }

    @Test
    void einvalMeansGenerationBAndNothingElseIsProbed() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(() -> 5, (fd, req, arg) -> {
            throw new ErrnoException(Errno.EINVAL, "ioctl");
        });
        LuoDevice d = LuoDevices.open(calls, DEV);
        assertThat(d.generation()).isEqualTo(Generation.B);
        assertThat(calls.log).hasSize(2);
        assertThat(calls.closed).isEmpty();
    }

    @Test
    void anyOtherProbeAnswerIsAnUnknownAbiAndClosesTheDevice() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(() -> 5, (fd, req, arg) -> {
            throw new ErrnoException(Errno.ENOTTY, "ioctl");
        });
        LuoException e = catchThrowableOfType(() -> LuoDevices.open(calls, DEV), LuoException.class);
        assertThat(e.errnoName()).isEqualTo("ENOTTY");
        assertThat(e).hasMessageContaining("unknown ABI");
        assertThat(calls.closed).containsExactly(5);
    }

    @Test
    void enoentExplainsWhatTheKernelLacks() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(ScriptedKernelCalls.fails(new ErrnoException(Errno.ENOENT, "open")), null);
        LuoUnavailableException e = catchThrowableOfType(() -> LuoDevices.open(calls, DEV), LuoUnavailableException.class);
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e).hasMessageContaining("ENOENT").hasMessageContaining("CONFIG_LIVEUPDATE")
                .hasMessageContaining("CONFIG_KEXEC_HANDOVER").hasMessageContaining("CONFIG_LIVEUPDATE_MEMFD")
                .hasMessageContaining("kho=on liveupdate=on");
    }

    @Test
    void ebusyIsADeviceBusyExceptionThatNamesHolders() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(ScriptedKernelCalls.fails(new ErrnoException(Errno.EBUSY, "open")), null);
        DeviceBusyException e = catchThrowableOfType(() -> LuoDevices.open(calls, DEV), DeviceBusyException.class);
        assertThat(e.errnoName()).isEqualTo("EBUSY");
        assertThat(e).hasMessageContaining("exclusive");
        assertThat(calls.log).as("no probe on a busy device").hasSize(1);
    }

    @Test
    void eioOnBSaysTheHandOverWasLost() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(ScriptedKernelCalls.fails(new ErrnoException(Errno.EIO, "open")), null);
        LuoException e = catchThrowableOfType(() -> LuoDevices.open(calls, DEV), LuoException.class);
        assertThat(e).hasMessageContaining("EIO").hasMessageContaining("deserialize");
    }

    @Test
    void boundAUsesExactStructSizes() {
        ScriptedKernelCalls calls = new ScriptedKernelCalls(() -> 5, (fd, req, arg) -> {
            if (req == 0xBA02) {
                arg.setInt(4, 9);
            }
            return 0;
        });
        LuoDevice d = LuoDevices.open(calls, DEV);
        LuoSession s = d.createSession("vm");
        s.preserve(3, 0x0102030405060708L);
        assertThat(calls.log.get(2)).startsWith("ioctl 5 0xBA02 40000000").contains("766d00");
        assertThat(calls.log.get(3)).isEqualTo("ioctl 9 0xBA40 1000000003000000" + "0807060504030201");
    }
}
