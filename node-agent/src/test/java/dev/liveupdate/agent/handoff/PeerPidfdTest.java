package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/** SO_PEERPIDFD pins the peer process, so the pid the agent reads /proc of is known to be the peer's (this host: Linux 6.5+). */
class PeerPidfdTest {
    @TempDir
    Path dir;

    private static int fd(AFUNIXSocket s) throws Exception {
        return FileDescriptorCast.using(s.getFileDescriptor()).as(Integer.class);
    }

    @Test
    void aLivePeerIsPinned() throws Exception {
        Path path = dir.resolve("s.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path), true);
             AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
             AFUNIXSocket accepted = server.accept();
             PeerPidfd pin = PeerPidfd.of(fd(accepted))) {
            assertThat(pin.pinned()).as("SO_PEERPIDFD on this kernel").isTrue();
            assertThat(pin.stillNames(ProcessHandle.current().pid())).isTrue();
            assertThat(pin.stillNames(1)).isFalse();
            assertThat(client.isConnected()).isTrue();
        }
    }

    /** A peer that connected and exited before the agent looked: its pid may be anyone's now, so it names nobody. */
    @Test
    void aPeerGoneBeforeItWasPinnedNamesNobody() throws Exception {
        Path path = dir.resolve("s.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(path), true)) {
            Process p = new ProcessBuilder("python3", "-c",
                    "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])", path.toString()).inheritIO().start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            try (AFUNIXSocket accepted = server.accept(); PeerPidfd pin = PeerPidfd.of(fd(accepted))) {
                assertThat(pin.stillNames(p.pid())).isFalse();
            }
        }
    }
}
