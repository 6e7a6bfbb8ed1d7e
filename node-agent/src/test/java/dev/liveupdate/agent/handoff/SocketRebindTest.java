package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.StatusReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The agent keeps its socket file: removed or replaced, it is bound again (with a warning Event) and serves as before. */
class SocketRebindTest {
    @TempDir
    Path dir;
    Path sock;
    WorkloadSocketServer server;
    final List<String> events = new CopyOnWriteArrayList<>();

    /** Answers status only, naming the node "node-1", so a test can tell the agent from an impostor. */
    static final WorkloadRequests STATUS_ONLY = new WorkloadRequests() {
        @Override
        public void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unpreserve(Peer peer, String session, long token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int retrieve(Peer peer, String session, long token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delivered(Peer peer, String session, long token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StatusReport status(Peer peer, String session) {
            return new StatusReport(new StatusReport.AgentInfo("node-1", "Idle", "B", "boot", "7.2", null, false), List.of());
        }
    };

    @BeforeEach
    void start() throws Exception {
        sock = dir.resolve("run/agent.sock");
        server = new WorkloadSocketServer(new WorkloadSocketServer.Settings(sock, PosixFilePermissions.fromString("rw-rw----"), null, 4, 2,
                Duration.ofSeconds(5), Duration.ofMillis(100)), new PeerPolicy(Set.of(0L), Set.of()), ProcOwnerResolver.host(), STATUS_ONLY,
                SocketMetrics.NONE, (warning, reason, message) -> events.add(reason + ": " + message));
        server.start();
        assertThat(agentAnswers()).isTrue();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private boolean agentAnswers() {
        try (AgentClient c = AgentClient.connect(sock)) {
            return "node-1".equals(c.status().agent().node());
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aRemovedSocketIsBoundAgain() throws Exception {
        Files.delete(sock);
        await().atMost(Duration.ofSeconds(10)).until(this::agentAnswers);
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith(WorkloadSocketServer.REBOUND).contains("was removed"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-rw----");
        assertThat(server.isRunning()).isTrue();
    }

    /** Another process binds its own socket at the path: the agent takes the path back and its clients reach it again. */
    @Test
    void aSocketReplacedByAnotherServerIsBoundAgain() throws Exception {
        Files.delete(sock);
        try (AFUNIXServerSocket impostor = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(sock), false)) {
            // The agent may notice the removal before the impostor binds (then it binds, and the impostor replaces
            // that): either way the last bind is the agent's, after it saw a file that is not its own.
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.contains("was replaced")));
            await().atMost(Duration.ofSeconds(10)).until(this::agentAnswers);
            assertThat(impostor.isClosed()).isFalse();
        }
    }

    @Test
    void aSocketReplacedByAPlainFileIsBoundAgain() throws Exception {
        Files.delete(sock);
        Files.writeString(sock, "not a socket");
        await().atMost(Duration.ofSeconds(10)).until(this::agentAnswers);
        assertThat(SocketFileId.of(sock).orElseThrow().socket()).isTrue();
        assertThat(events).anySatisfy(e -> assertThat(e).contains("was replaced", "non-socket file"));
    }
}
