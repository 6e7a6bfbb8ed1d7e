package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts long-running child processes that cannot outlive this JVM, even when it is killed with SIGKILL.
 *
 * <p>Each child runs under {@code setpriv --pdeathsig KILL} (util-linux): the kernel SIGKILLs it when its parent dies.
 * Linux's "parent" there is the thread that forked the child, not the process: a child forked by a thread that
 * later ends would be killed with it. So every child is forked by one thread that lives as long as the JVM.
 */
public final class ChildProcesses {
    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "child-process-starter");
        t.setDaemon(true);
        return t;
    });

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
            return STARTER.submit(builder::start).get();
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
