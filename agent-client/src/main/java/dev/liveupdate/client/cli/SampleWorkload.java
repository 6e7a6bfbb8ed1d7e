package dev.liveupdate.client.cli;

import dev.liveupdate.client.AgentClient;
import dev.liveupdate.client.AgentException;
import dev.liveupdate.client.Memfds;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.StatusReport;
import dev.liveupdate.client.protocol.Tokens;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The sample workload: state in a memfd that must survive a live update. It records the memfd's
 * sha256 before and proves after the update that the retrieved file has the same bytes.
 */
final class SampleWorkload {
    /** How often to ask the agent while waiting; the agent may be restarting in between. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final Path socket;
    private final PrintStream out;

    SampleWorkload(Path socket, PrintStream out) {
        this.socket = socket;
        this.out = out;
    }

    int run(Args args) throws IOException {
        String session = args.required("session");
        long token = args.token();
        long size = args.size("bytes", "1M");
        byte[] content = new byte[Math.toIntExact(size)];
        new SecureRandom().nextBytes(content);
        String sha = Memfds.sha256(content);
        FileDescriptor memfd = Memfds.create("lu-sample-" + session, content);
        if (args.has("record")) {
            writeRecord(Path.of(args.required("record")), session, token, sha, size);
        }
        try (AgentClient agent = AgentClient.connect(socket)) {
            agent.preserve(session, token, memfd);
        }
        out.println("PRESERVED session=" + session + " token=" + Tokens.format(token) + " bytes=" + size + " sha256=" + sha);
        out.flush();
        if (!args.has("then-verify")) {
            Memfds.close(memfd);
            return LuClient.OK;
        }
        if (args.has("freeze")) {
            // Like a VMM: pause and ack when the agent is about to kexec (this process then ends with the old kernel).
            FreezeListener.from(socket, out, args).startInBackground();
        }
        // Stay alive like a VMM would, re-registering if an agent restart in the same boot forgot us.
        return awaitAndVerify(session, token, sha, args.duration("timeout", "10m"), memfd);
    }

    int verifyRecord(Args args) throws IOException {
        Properties record = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args.required("record")))) {
            record.load(r);
        }
        FreezeListener notices = args.has("freeze") ? FreezeListener.from(socket, out, args) : null;
        if (notices != null) {
            notices.startInBackground(); // the agent of the new kernel says resumed right after the subscribe reply
        }
        int result = awaitAndVerify(record.getProperty("session"), Tokens.parse(record.getProperty("token")),
                record.getProperty("sha256"), args.duration("timeout", "10m"), null);
        if (notices != null) {
            if (!notices.awaitResumed(RESUMED_WAIT)) {
                out.println("NO-RESUMED within " + RESUMED_WAIT.toSeconds() + "s of the verification");
            }
            notices.stop();
        }
        return result;
    }

    /** How long a verified workload still waits for the agent's resumed notice before it exits. */
    private static final Duration RESUMED_WAIT = Duration.ofSeconds(60);

    private int awaitAndVerify(String session, long token, String sha, Duration timeout, FileDescriptor ownCopy) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            try (AgentClient agent = AgentClient.connect(socket)) {
                StatusReport status = agent.status(session);
                Optional<StatusReport.FileEntry> entry = status.file(session, token);
                if (entry.isPresent() && (entry.get().state() == FileState.Restorable || entry.get().state() == FileState.Restored)) {
                    FileDescriptor fd = agent.retrieve(session, token);
                    return report(out, sha, Memfds.readAll(fd), fd);
                }
                if (entry.isPresent() && entry.get().state() == FileState.Lost && status.agent().updatedBy()) {
                    out.println("LOST session=" + session + " token=" + Tokens.format(token) + " " + entry.get().detail());
                    return LuClient.MISMATCH;
                }
                if (ownCopy != null && AgentClient.needsHandOver(status, session, token)) {
                    agent.preserve(session, token, ownCopy);
                    out.println("RE-REGISTERED session=" + session + " token=" + Tokens.format(token));
                }
                lastProblem = "file is " + entry.map(e -> e.state().name()).orElse("not registered") + ", agent phase " + status.agent().phase();
            } catch (AgentException e) {
                lastProblem = e.getMessage();
            } catch (IOException e) {
                lastProblem = "agent unreachable: " + e.getMessage();
            }
            pause();
        }
        out.println("TIMEOUT waiting for session=" + session + " token=" + Tokens.format(token) + ": " + lastProblem);
        return LuClient.MISMATCH;
    }

    static int report(PrintStream out, String expected, byte[] content, FileDescriptor fd) throws IOException {
        Memfds.close(fd);
        String got = Memfds.sha256(content);
        if (got.equals(expected)) {
            out.println("VERIFIED " + got);
            return LuClient.OK;
        }
        out.println("MISMATCH expected=" + expected + " got=" + got + " bytes=" + content.length);
        return LuClient.MISMATCH;
    }

    private static void writeRecord(Path file, String session, long token, String sha, long size) throws IOException {
        Properties p = new Properties();
        p.setProperty("session", session);
        p.setProperty("token", Tokens.format(token));
        p.setProperty("sha256", sha);
        p.setProperty("bytes", Long.toString(size));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "lu-client sample workload");
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the agent", e);
        }
    }
}
