package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts long-running child processes that cannot outlive this JVM, even when it is killed with SIGKILL.
 *
 * <p>Each child runs under {@code setpriv --pdeathsig KILL} (util-linux): the kernel SIGKILLs it when its parent dies.
 * Linux's "parent" there is the thread that forked the child, not the process: a child forked by a thread that
 * later ends would be killed with it. So every child is forked by one thread that lives as long as the JVM. And the
 * signal is armed only once setpriv ran: a parent dying before that goes unnoticed, so {@link #start} returns only
 * after setpriv has exec'd the command.
 */
public final class ChildProcesses {
    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "child-process-starter");
        t.setDaemon(true);
        return t;
    });

    private static final Duration ARM_TIMEOUT = Duration.ofSeconds(10);

    private ChildProcesses() {
    }

    /**
     * Starts {@code builder}'s command (rewritten in place to run under the parent-death signal). The returned
     * process's pid is the command's: setpriv execs it.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        List<String> command = new ArrayList<>(List.of(setpriv().toString(), "--pdeathsig", "KILL", "--"));
        command.addAll(builder.command());
        builder.command(command);
        // submit(), not execute(): an exception stays in the Future instead of ending (and replacing) the thread,
        // which would SIGKILL every child it had started.
        try {
            return STARTER.submit(() -> armed(builder.start())).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot start " + builder.command(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting " + builder.command());
        }
    }

    /** Waits (briefly: setpriv only parses its options and calls prctl) until the process runs its own program. */
    private static Process armed(Process process) {
        long deadline = System.nanoTime() + ARM_TIMEOUT.toNanos();
        while (process.isAlive() && stillLaunching(process.pid()) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        return process;
    }

    private static boolean stillLaunching(long pid) {
        try {
            String program = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString();
            return program.equals("setpriv") || program.equals("jspawnhelper");
        } catch (IOException e) {
            return false; // exited
        }
    }

    private static Path setpriv() {
        Path setpriv = NodePrerequisites.onPath("setpriv");
        if (setpriv == null) {
            throw new IllegalStateException("setpriv not found on PATH: it ties every process the test cluster and the "
                    + "sandbox start to this JVM's life (parent-death signal); it is part of util-linux 2.33 or later: "
                    + "run bash hack/install-prereqs.sh");
        }
        return setpriv;
    }
}
