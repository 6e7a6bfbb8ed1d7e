package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.agent.handoff.PeerPolicy;
import dev.liveupdate.agent.handoff.ProcOwnerResolver;
import dev.liveupdate.agent.handoff.SocketEvents;
import dev.liveupdate.agent.handoff.SocketMetrics;
import dev.liveupdate.agent.handoff.WorkloadRequests;
import dev.liveupdate.agent.handoff.WorkloadSocketServer;
import dev.liveupdate.agent.handoff.WorkloadSubscribers;
import dev.liveupdate.api.v1alpha1.FreezeTimeoutAction;
import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.Subscription;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Frames;
import dev.liveupdate.client.protocol.Notice;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.client.protocol.Reply;
import dev.liveupdate.client.protocol.StatusReport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Freeze, thawed and resumed over the real socket server and the real client library, with the real
 * {@link FreezeBarrier} on the engine side. Waits that must end early have a deadline of a minute (a lost ack shows as
 * a timed-out result, not as a slow pass); every step a test waits for is awaited as a condition.
 */
class FreezeSocketIT {
    private static final Duration LONG = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private WorkloadSocketServer server;
    private final WorkloadSubscribers subscribers = new WorkloadSubscribers();
    private final FreezeBarrier barrier = new FreezeBarrier(subscribers, Clock.systemUTC());
    private final ExecutorService workloads = Executors.newCachedThreadPool();

    /** Only status is asked in these tests (an old client's request on its own connection). */
    private final WorkloadRequests requests = new WorkloadRequests() {
        @Override
        public void preserve(Peer peer, String session, long token, int fd) throws ProtocolException {
            throw new ProtocolException(ErrorCode.INTERNAL, "not in this test");
        }

        @Override
        public void unpreserve(Peer peer, String session, long token) throws ProtocolException {
            throw new ProtocolException(ErrorCode.INTERNAL, "not in this test");
        }

        @Override
        public int retrieve(Peer peer, String session, long token) throws ProtocolException {
            throw new ProtocolException(ErrorCode.INTERNAL, "not in this test");
        }

        @Override
        public void delivered(Peer peer, String session, long token) {
        }

        @Override
        public StatusReport status(Peer peer, String session) {
            return new StatusReport(new StatusReport.AgentInfo("node-1", "Prepared", "B", "boot", "7.2", null, false), List.of());
        }
    };

    private Path start(Duration idleTimeout) throws Exception {
        Path sock = dir.resolve("run/agent.sock");
        server = new WorkloadSocketServer(new WorkloadSocketServer.Settings(sock, PosixFilePermissions.fromString("rw-rw----"), null, 8, 4,
                idleTimeout, Duration.ofSeconds(1)), new PeerPolicy(new HashSet<>(List.of(0L, uid())), java.util.Set.of()),
                ProcOwnerResolver.host(), requests, SocketMetrics.NONE, SocketEvents.NONE, subscribers);
        server.start();
        return sock;
    }

    @AfterEach
    void stop() {
        workloads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** Listed by the agent before the subscribe reply: a freeze from now on reaches it. */
    private Subscription subscribe(Path sock) throws Exception {
        int before = subscribers.current().size();
        Subscription s = AgentClient.connect(sock).subscribe();
        assertThat(subscribers.current()).hasSize(before + 1);
        return s;
    }

    /** A workload that pauses (here: nothing to pause) and acks every freeze, until its connection ends. */
    private Future<List<String>> ackingWorkload(Subscription s) {
        return workloads.submit(() -> {
            List<String> seen = new java.util.ArrayList<>();
            while (true) {
                Notice n;
                try {
                    n = s.next(LONG);
                } catch (java.io.IOException closed) {
                    return seen;
                }
                if (n == null) {
                    continue;
                }
                seen.add(n.kind());
                if (n.kind().equals(Notice.FREEZE)) {
                    s.ack(n.id());
                }
            }
        });
    }

    @Test
    void aSubscriberAcksOverTheSocketWhileAnOldClientIsServedAsBefore() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        Subscription vmm = subscribe(sock);
        Future<List<String>> seen = ackingWorkload(vmm);
        try (AgentClient old = AgentClient.connect(sock)) {
            assertThat(old.status().agent().phase()).isEqualTo("Prepared");

            FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");

            assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.ALL_ACKED);
            assertThat(r.millis()).isLessThan(LONG.toMillis());
            assertThat(r.told()).as("a connection that never subscribed is not told nor waited for").isEqualTo(1);
            assertThat(old.status().agent().node()).isEqualTo("node-1");
        }
        vmm.close();
        assertThat(seen.get()).containsExactly(Notice.FREEZE);
    }

    @Test
    void aSubscriberThatDoesNotAckMissesTheDeadlineAndIsThawed() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        try (Subscription stuck = subscribe(sock)) {
            FreezeBarrier.Result r = barrier.freeze(Duration.ofMillis(300), FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
            assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.TIMED_OUT);
            assertThat(r.missing()).hasSize(1).allSatisfy(who -> assertThat(who).startsWith("host uid"));
            assertThat(r.abort()).isTrue();

            barrier.thaw(r, FreezeBarrier.TIMEOUT_REASON, "not rebooting");

            Notice freeze = stuck.next(WAIT);
            assertThat(freeze.kind()).isEqualTo(Notice.FREEZE);
            assertThat(freeze.id()).isEqualTo(r.id());
            Notice thawed = stuck.next(WAIT);
            assertThat(thawed.kind()).isEqualTo(Notice.THAWED);
            assertThat(thawed.id()).isEqualTo(r.id());
            assertThat(thawed.text("reason")).isEqualTo("FreezeTimeout");
        }
    }

    @Test
    void aSubscriberThatStopsReadingNeverBlocksTheEngineAndMissesTheFreeze() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        try (Subscription deaf = subscribe(sock)) {
            // Enough notices to fill the deaf workload's socket many times over (each ~150 bytes, buffers ~200 KiB):
            // before notices had their own writer, the engine thread blocked in the write here for ever.
            FreezeBarrier.Result earlier = new FreezeBarrier.Result(1, FreezeBarrier.Outcome.TIMED_OUT, java.time.Instant.now(),
                    0, 1, List.of(), FreezeTimeoutAction.Abort, Duration.ofSeconds(1));
            Future<?> engine = workloads.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    barrier.thaw(earlier, "Test", "x".repeat(100));
                }
            });
            engine.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS); // a hang fails here, not a slow pass

            try (Subscription vmm = subscribe(sock)) {
                Future<List<String>> seen = ackingWorkload(vmm);
                FreezeBarrier.Result r = barrier.freeze(Duration.ofSeconds(5), FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
                assertThat(r.outcome()).as("the deaf one never acks: Abort stands").isEqualTo(FreezeBarrier.Outcome.TIMED_OUT);
                assertThat(r.told()).isEqualTo(2);
                assertThat(r.missing()).as("the reading workload got the freeze and acked it").hasSize(1);
                vmm.close();
                assertThat(seen.get()).containsExactly(Notice.FREEZE);
            }
        }
    }

    @Test
    void aSubscriberThatHangsUpIsNotWaitedFor() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        Subscription leaving = subscribe(sock);
        workloads.submit(() -> {
            Notice n = leaving.next(LONG);
            leaving.close(); // a workload that exits instead of pausing
            return n;
        });
        FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.ALL_ACKED);
        assertThat(r.millis()).as("the hang-up woke the barrier; it did not sit out the deadline").isLessThan(LONG.toMillis());
        Awaitility.await().atMost(WAIT).until(() -> subscribers.current().isEmpty());
    }

    @Test
    void aSubscriptionOutlivesTheIdleTimeoutThatClosesOtherConnections() throws Exception {
        // Long enough that the client's subscribe, sent right after connecting, always beats it.
        Path sock = start(Duration.ofSeconds(2));
        Subscription vmm = subscribe(sock);
        Future<List<String>> seen = ackingWorkload(vmm);
        // Opened after the subscription: once the agent closed this idle one, the subscription was idle longer.
        try (AFUNIXSocket idle = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock))) {
            idle.setSoTimeout((int) LONG.toMillis()); // bounded: a missing idle close fails the test instead of hanging it
            InputStream in = idle.getInputStream();
            assertThat(in.read()).as("the agent closes an idle connection").isEqualTo(-1);
        }
        FreezeBarrier.Result r = barrier.freeze(LONG, FreezeTimeoutAction.Abort, "plan-1", "7.3.0");
        assertThat(r.outcome()).isEqualTo(FreezeBarrier.Outcome.ALL_ACKED);
        assertThat(r.told()).isEqualTo(1);
        vmm.close();
        assertThat(seen.get()).containsExactly(Notice.FREEZE);
    }

    @Test
    void aWorkloadThatSubscribesAfterTheLiveUpdateIsToldResumed() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        subscribers.resumed(Notice.resumed("boot-2", "boot-1", "plan-1", "7.3.0"));
        try (Subscription back = AgentClient.connect(sock).subscribe()) {
            Notice n = back.next(WAIT);
            assertThat(n.kind()).isEqualTo(Notice.RESUMED);
            assertThat(n.text("bootID")).isEqualTo("boot-2");
            assertThat(n.text("bootIDBefore")).isEqualTo("boot-1");
            assertThat(n.text("plan")).isEqualTo("plan-1");
        }
    }

    @Test
    void ackWithoutSubscribingIsABadRequestAndTheClientRefusesCallsOnASubscription() throws Exception {
        Path sock = start(Duration.ofSeconds(30));
        try (AFUNIXSocket raw = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(sock))) {
            Frames.write(raw.getOutputStream(), "{\"v\":1,\"op\":\"ack\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
            Reply reply = Reply.decode(Frames.read(raw.getInputStream()));
            assertThat(reply.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            Frames.write(raw.getOutputStream(), "{\"v\":1,\"op\":\"subscribe\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(Reply.decode(Frames.read(raw.getInputStream())).isOk()).isTrue();
            Frames.write(raw.getOutputStream(), "{\"v\":1,\"op\":\"ack\"}".getBytes(StandardCharsets.UTF_8));
            // An ack without an id is no ack: it gets an error reply; a valid ack gets none (the next frame is a notice).
            assertThat(Reply.decode(Frames.read(raw.getInputStream())).errorCode()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
        AgentClient client = AgentClient.connect(sock);
        try (Subscription s = client.subscribe()) {
            assertThatThrownBy(client::status).isInstanceOf(IllegalStateException.class);
        }
        assertThat(server.isRunning()).isTrue();
    }

    private static long uid() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }
}
