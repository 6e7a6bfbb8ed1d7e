package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.AgentException;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Reply;
import dev.liveupdate.client.protocol.StatusReport;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The real socket server with the real client, against a recording stand-in for the engine. */
class WorkloadSocketIT {
    @TempDir
    Path dir;
    private WorkloadSocketServer server;
    private final Map<String, Integer> held = new HashMap<>();
    /** What the socket reported as sent (WorkloadRequests.delivered): only then does a file count as handed back. */
    private final List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Keeps fds like the agent does; duplicates and unknown names get the agent's error codes. */
    private final WorkloadRequests requests = new WorkloadRequests() {
        @Override
        public synchronized void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
            if (held.containsKey(session + "/" + token)) {
                throw new ProtocolException(ErrorCode.DUPLICATE_TOKEN, "duplicate");
            }
            held.put(session + "/" + token, fd);
        }

        @Override
        public synchronized void unpreserve(Peer peer, String session, long token) throws ProtocolException {
            if (held.remove(session + "/" + token) == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_TOKEN, "unknown");
            }
        }

        @Override
        public synchronized int retrieve(Peer peer, String session, long token) throws ProtocolException {
            Integer fd = held.get(session + "/" + token);
            if (fd == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "unknown");
            }
            return new dev.liveupdate.luo.sys.LibcKernelCalls().dup(fd);
        }

        @Override
        public void delivered(Peer peer, String session, long token) {
            delivered.add(session + "/" + token);
        }

        @Override
        public synchronized StatusReport status(Peer peer, String session) {
            List<StatusReport.FileEntry> files = new ArrayList<>();
            held.keySet().forEach(k -> files.add(new StatusReport.FileEntry(k.split("/")[0], Long.parseLong(k.split("/")[1]), FileState.Held, peer.uid(), null)));
            return new StatusReport(new StatusReport.AgentInfo("node-1", "Idle", "B", "boot", "7.2", null, false), files);
        }
    };

    private Path start(Set<Long> uids) throws Exception {
        Path sock = dir.resolve("run/agent.sock");
        server = new WorkloadSocketServer(new WorkloadSocketServer.Settings(sock, PosixFilePermissions.fromString("rw-rw----"), null, 4, 2,
                Duration.ofSeconds(5), Duration.ofSeconds(1)), new PeerPolicy(uids, Set.of()), ProcOwnerResolver.host(), requests,
                SocketMetrics.NONE, SocketEvents.NONE);
        server.start();
        return sock;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void preserveRetrieveStatusRoundTripWithRealFds() throws Exception {
        Path sock = start(new java.util.HashSet<>(List.of(0L, (long) uid())));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-rw----");
        byte[] content = "guest memory".getBytes(StandardCharsets.UTF_8);
        FileDescriptor memfd = Memfds.create("vm-ram", content);
        try (AgentClient client = AgentClient.connect(sock)) {
            client.preserve("vm", 1, memfd);
            Memfds.close(memfd); // the agent keeps its own reference
            assertThat(client.status().file("vm", 1)).get().extracting(StatusReport.FileEntry::state).isEqualTo(FileState.Held);
            FileDescriptor back = client.retrieve("vm", 1);
            assertThat(Memfds.readAll(back)).isEqualTo(content);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("vm/1"));
            assertThatThrownBy(() -> client.preserve("vm", 1, Memfds.create("x", new byte[1])))
                    .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_TOKEN));
            assertThatThrownBy(() -> client.retrieve("nope", 1))
                    .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_SESSION));
            client.unpreserve("vm", 1);
            assertThat(delivered).as("a refused retrieve sends nothing, so nothing is delivered").containsExactly("vm/1");
        }
    }

    @Test
    void badRequestsGetErrorRepliesAndTheServerStaysUp() throws Exception {
        Path sock = start(new java.util.HashSet<>(List.of(0L, (long) uid())));
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock))) {
            InputStream in = raw.getInputStream();
            OutputStream out = raw.getOutputStream();
            assertThat(ask(in, out, "not json at all")).isEqualTo(ErrorCode.BAD_JSON);
            assertThat(ask(in, out, "[1,2]")).isEqualTo(ErrorCode.BAD_JSON);
            assertThat(ask(in, out, "{\"op\":\"status\"}")).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(ask(in, out, "{\"v\":9,\"op\":\"status\"}")).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"explode\"}")).isEqualTo(ErrorCode.UNKNOWN_OP);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"preserve\",\"session\":\"vm\",\"token\":1}")).isEqualTo(ErrorCode.MISSING_FD);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"retrieve\",\"session\":\"../etc\",\"token\":1}")).isEqualTo(ErrorCode.INVALID_SESSION_NAME);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"retrieve\",\"session\":\"vm\",\"token\":-1}")).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"retrieve\",\"session\":\"vm\",\"token\":18446744073709551616}")).isEqualTo(ErrorCode.INVALID_TOKEN);
            assertThat(ask(in, out, "{\"v\":1,\"op\":\"retrieve\",\"session\":\"" + "x".repeat(56) + "\",\"token\":1}")).isEqualTo(ErrorCode.INVALID_SESSION_NAME);
            // Garbage that is not even a frame: one error reply, then the agent hangs up.
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            out.flush();
            Reply reply = Reply.decode(Frames.read(in));
            assertThat(reply.errorCode()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(hungUp(in)).as("the agent closes the connection after a bad frame").isTrue();
        }
        // A truncated frame and an abrupt hang-up do not hurt either.
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock))) {
            raw.getOutputStream().write(new byte[] {0, 0, 0, 50, '{'});
        }
        try (AgentClient client = AgentClient.connect(sock)) {
            assertThat(client.status().agent().node()).isEqualTo("node-1");
        }
        assertThat(server.isRunning()).isTrue();
    }

    /**
     * EOF, or ECONNRESET: closing a Unix socket with our unread garbage still queued makes the kernel reset the
     * connection instead of delivering EOF; either way the agent hung up.
     */
    private static boolean hungUp(InputStream in) {
        try {
            return in.read() == -1;
        } catch (java.io.IOException e) {
            return String.valueOf(e.getMessage()).contains("Connection reset");
        }
    }

    @Test
    void peersOutsideTheAllowedUidsAreRefused() throws Exception {
        Path sock = start(Set.of(4242L)); // not us
        try (AgentClient client = AgentClient.connect(sock)) {
            assertThatThrownBy(client::status)
                    .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        }
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void aRefusedPeerWhoseRequestComesAfterTheRefusalStillReadsIt() throws Exception {
        Path sock = start(Set.of(4242L)); // not us
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock))) {
            InputStream in = raw.getInputStream();
            // The agent has written its refusal; the request comes only now (the race a refused client used to lose:
            // the agent had closed, the write failed with "Broken pipe" and the refusal was lost with it).
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> in.available() > 0);
            Frames.write(raw.getOutputStream(), "{\"op\":\"status\"}".getBytes(StandardCharsets.UTF_8));
            Reply reply = Reply.decode(Frames.read(in));
            assertThat(reply.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(Frames.read(in)).as("then the end of the stream").isNull();
        }
        assertThat(server.isRunning()).isTrue();
    }

    private static ErrorCode ask(InputStream in, OutputStream out, String body) throws Exception {
        Frames.write(out, body.getBytes(StandardCharsets.UTF_8));
        Reply reply = Reply.decode(Frames.read(in));
        assertThat(reply.isOk()).isFalse();
        assertThat(reply.errorMessage()).isNotBlank();
        return reply.errorCode();
    }

    private static int uid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
