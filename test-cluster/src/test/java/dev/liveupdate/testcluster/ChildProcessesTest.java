package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Children started through {@link ChildProcesses} die with the JVM, and only with the JVM. */
class ChildProcessesTest {
    private static final Duration DEATH = Duration.ofSeconds(30);
    private final List<Process> started = new ArrayList<>();
    private final List<ProcessHandle> grandchildren = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        grandchildren.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aChildOutlivesTheThreadThatAskedForIt() throws Exception {
        AtomicReference<Process> throughStarter = new AtomicReference<>();
        AtomicReference<Process> forkedByThread = new AtomicReference<>();
        Thread shortLived = new Thread(() -> {
            try {
                throughStarter.set(ChildProcesses.start(new ProcessBuilder("sleep", "600")));
                // The control: the same parent-death signal, forked by this thread itself, armed before the thread ends.
                Process control = new ProcessBuilder("setpriv", "--pdeathsig", "KILL", "--", "sleep", "600").start();
                Poll.until("setpriv to exec sleep", DEATH, () -> control.info().command().orElse("").endsWith("/sleep"));
                forkedByThread.set(control);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "short-lived");
        shortLived.start();
        shortLived.join();
        started.add(throughStarter.get());
        started.add(forkedByThread.get());

        // Linux counts the forking thread as the parent: the control dies once that thread has ended...
        assertThat(forkedByThread.get().waitFor(DEATH.toSeconds(), TimeUnit.SECONDS))
                .as("the child forked by the ended thread got its parent-death signal").isTrue();
        assertThat(forkedByThread.get().exitValue()).isEqualTo(128 + 9);
        // ...and the child started through ChildProcesses, signalled in the same instant had it the same parent, runs on.
        assertThat(throughStarter.get().isAlive()).as("child started by the long-lived starter thread").isTrue();
    }

    @Test
    void aChildDiesWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process jvm = probe(List.of());
        long pid = Long.parseLong(firstLine(jvm).replace("child ", "").trim());
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        grandchildren.add(child);
        assertThat(LiveProcesses.running(child)).isTrue();

        jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(jvm.waitFor(DEATH.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Poll.until("the child of the SIGKILLed JVM to die", DEATH, () -> !LiveProcesses.running(child));
    }

    @Test
    void withoutSetprivTheErrorNamesTheFix() throws Exception {
        Process jvm = probe(List.of("PATH=/nonexistent"));
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(DEATH.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).isNotZero();
        assertThat(output).contains("setpriv not found on PATH", "util-linux", "bash hack/install-prereqs.sh");
    }

    private Process probe(List<String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), ChildProcessesProbe.class.getName()).redirectErrorStream(true);
        env.forEach(e -> builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private static String firstLine(Process p) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the probe's first line").isNotNull().startsWith("child ");
        return line;
    }
}
