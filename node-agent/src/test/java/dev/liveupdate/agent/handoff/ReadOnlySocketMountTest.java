package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.client.AgentClient;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/workload-socket.md tells workloads: mount the socket directory read-only. Connecting works through a
 * read-only mount (it needs write permission on the socket file, not a writable mount); removing or replacing the socket
 * through it does not. A real read-only bind mount; needs root with CAP_SYS_ADMIN.
 */
class ReadOnlySocketMountTest {
    @TempDir
    Path dir;

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("`%s` (needs root with CAP_SYS_ADMIN for a bind mount): %s", command, out).isZero();
    }

    @Test
    void aWorkloadConnectsThroughAReadOnlyMountAndCannotReplaceTheSocket() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path ro = Files.createDirectories(dir.resolve("workload-view"));
        WorkloadSocketServer server = new WorkloadSocketServer(new WorkloadSocketServer.Settings(run.resolve("agent.sock"),
                PosixFilePermissions.fromString("rw-rw----"), null, 4, 2, Duration.ofSeconds(5), Duration.ofSeconds(1)),
                new PeerPolicy(Set.of(0L), Set.of()), ProcOwnerResolver.host(), SocketRebindTest.STATUS_ONLY, SocketMetrics.NONE, SocketEvents.NONE);
        server.start();
        sh("mount --bind '" + run + "' '" + ro + "' && mount -o remount,bind,ro '" + ro + "'");
        try {
            Path sock = ro.resolve("agent.sock");
            try (AgentClient c = AgentClient.connect(sock)) {
                assertThat(c.status().agent().node()).isEqualTo("node-1");
            }
            assertThatThrownBy(() -> Files.delete(sock)).isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only");
            assertThatThrownBy(() -> Files.writeString(ro.resolve("agent.sock.new"), "x")).isInstanceOf(FileSystemException.class);
            assertThat(Files.exists(run.resolve("agent.sock"))).isTrue();
        } finally {
            sh("umount '" + ro + "'");
            server.close();
        }
    }
}
