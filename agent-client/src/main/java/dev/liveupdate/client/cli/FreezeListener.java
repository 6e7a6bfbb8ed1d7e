package dev.liveupdate.client.cli;

import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.AgentException;
import dev.liveupdate.client.Subscription;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.Notice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A workload's side of the freeze: subscribes, prints every notice as one line, acks freezes (after a pause standing
 * for the workload's own quiescing, or never), and subscribes again whenever the connection ends (an agent restart,
 * the kexec), so the agent of the new kernel can tell it {@code resumed}.
 *
 * <pre>
 * SUBSCRIBED
 * FREEZE id=1 timeoutMillis=10000 deadline=2026-12-07T13:40:10.120Z plan=kernel-7-3 kernel=7.3.0
 * ACKED id=1
 * THAWED id=1 reason=FreezeTimeout            (the kexec did not happen)
 * RESUMED bootID=… bootIDBefore=… plan=kernel-7-3 kernel=7.3.0
 * </pre>
 */
final class FreezeListener {
    /** auto: ack every freeze after {@code ackDelay}; never: a workload that does not answer (to show a missed deadline). */
    enum AckMode { AUTO, NEVER }

    private static final Duration RECONNECT = Duration.ofMillis(200);

    private final Path socket;
    private final PrintStream out;
    private final AckMode mode;
    private final Duration ackDelay;
    private volatile boolean stopped;
    private final CountDownLatch resumed = new CountDownLatch(1);

    FreezeListener(Path socket, PrintStream out, AckMode mode, Duration ackDelay) {
        this.socket = socket;
        this.out = out;
        this.mode = mode;
        this.ackDelay = ackDelay;
    }

    static FreezeListener from(Path socket, PrintStream out, Args args) throws Args.UsageException {
        String ack = args.get("freeze-ack", args.get("ack", "auto")).toUpperCase(Locale.ROOT);
        AckMode mode;
        try {
            mode = AckMode.valueOf(ack);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--ack takes auto or never, got " + ack.toLowerCase(Locale.ROOT));
        }
        return new FreezeListener(socket, out, mode, args.duration(args.has("freeze-ack-delay") ? "freeze-ack-delay" : "ack-delay", "0s"));
    }

    /** Runs in the background until {@link #stop()} (the sample workload). */
    Thread startInBackground() {
        Thread t = new Thread(() -> {
            try {
                listen(Integer.MAX_VALUE, Instant.MAX);
            } catch (IOException e) {
                say("SUBSCRIBE-FAILED " + e.getMessage());
            }
        }, "lu-client-freeze");
        t.setDaemon(true);
        t.start();
        return t;
    }

    void stop() {
        stopped = true;
    }

    /** @return whether the agent said resumed (since this listener started) within {@code timeout} */
    boolean awaitResumed(Duration timeout) {
        try {
            return resumed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Listens until {@code count} notices came or the deadline passed.
     *
     * @return how many notices came
     * @throws AgentException when the agent does not know subscribe (an agent older than notices)
     */
    int listen(int count, Instant deadline) throws IOException {
        int seen = 0;
        while (!stopped && seen < count && Instant.now().isBefore(deadline)) {
            try (Subscription s = AgentClient.connect(socket).subscribe()) {
                say("SUBSCRIBED");
                while (!stopped && seen < count && Instant.now().isBefore(deadline)) {
                    Notice n = s.next(Duration.ofSeconds(1));
                    if (n != null) {
                        seen++;
                        handle(s, n);
                    }
                }
            } catch (AgentException e) {
                if (e.code() == ErrorCode.UNKNOWN_OP) {
                    throw e;
                }
                pause(RECONNECT); // BUSY, or refused while the agent starts: try again
            } catch (IOException e) {
                pause(RECONNECT); // the agent restarted or the node rebooted: subscribe again
            }
        }
        return seen;
    }

    private void handle(Subscription s, Notice n) throws IOException {
        switch (n.kind()) {
            case Notice.FREEZE -> {
                say("FREEZE id=" + n.id() + " timeoutMillis=" + n.timeoutMillis() + " deadline=" + n.text("deadline") + " plan=" + n.text("plan")
                        + " kernel=" + n.text("kernelRelease"));
                if (mode == AckMode.AUTO) {
                    pause(ackDelay); // stands for the workload's own pausing: vCPUs, devices, flushing
                    s.ack(n.id());
                    say("ACKED id=" + n.id());
                } else {
                    say("NOT-ACKING id=" + n.id());
                }
            }
            case Notice.THAWED -> say("THAWED id=" + n.id() + " reason=" + n.text("reason"));
            case Notice.RESUMED -> {
                say("RESUMED bootID=" + n.text("bootID") + " bootIDBefore=" + n.text("bootIDBefore") + " plan=" + n.text("plan")
                        + " kernel=" + n.text("kernelRelease"));
                resumed.countDown();
            }
            default -> say("NOTICE " + n);
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void pause(Duration d) throws IOException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
