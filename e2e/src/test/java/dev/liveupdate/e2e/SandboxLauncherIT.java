package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.testcluster.LiveProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's main command, run the way a newcomer's terminal-less CI would: exit code and summary. */
class SandboxLauncherIT {
    private static final Path REPO = Path.of(System.getProperty("liveupdate.repo", "..")).toAbsolutePath().normalize();

    private record Run(int exit, String output) {
    }

    private static Run sandbox(String name, String... args) throws IOException, InterruptedException {
        Path work = Files.createDirectories(REPO.resolve("e2e/target/fleets")).resolve(name);
        Path log = REPO.resolve("e2e/target/fleets/" + name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", REPO.resolve("sandbox/target/liveupdate-sandbox.jar") + ":" + REPO.resolve("sandbox/target/lib/*"),
                "dev.liveupdate.sandbox.SandboxMain", "--repo", REPO.toString(), "--work-dir", work.toString(), "--timeout", "4m"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(6, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("sandbox did not end within 6 minutes; output in " + log);
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    @Test
    void twoNodeFleetUpdatesAndVerifiesEveryWorkload() throws Exception {
        Run run = sandbox("launcher-ok", "--nodes", "2");
        assertThat(run.output()).contains("RESULT: SUCCESS", "data verified: 2 of 2 workloads", "plan phase Succeeded, done 2/2",
                "reboots per node: {node-1=1, node-2=1}");
        assertThat(run.output()).as("plain progress lines, no terminal escapes").doesNotContain("\033[");
        assertThat(run.exit()).as(run.output()).isZero();
        assertNoProcessLeft("launcher-ok");
    }

    @Test
    void aMissingKernelStopsThePlanAtPreflightAndTheLauncherSaysWhy() throws Exception {
        Run run = sandbox("launcher-fault", "--nodes", "2", "--fault", "prepare-fail=node-1");
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        // Fleet preflight (default Halt) finds the missing kernel in node-1's inventory and node-1 is never touched. When
        // node-2's agent reported first, the plan may have taken node-2 before node-1's inventory arrived.
        assertThat(run.output()).contains("RESULT: FAILURE", "preflight holds the plan", "KernelMissing on node-1",
                "vmlinuz-7.2.0-sandbox").doesNotContain("node-1=", "TIMED OUT").containsPattern("plan phase (Pending|Progressing)");
        assertNoProcessLeft("launcher-fault");
    }

    @Test
    void agentKilledAfterPrepareIsRestartedAndTheRolloutStillSucceeds() throws Exception {
        // The kernel destroys a session when its holder dies, but the workload still holds its memory: the restarted
        // agent prepares again from the files the workload hands over again, and the node reboots once.
        Run run = sandbox("launcher-kill", "--nodes", "2", "--fault", "kill-agent=node-2@Prepared");
        assertThat(run.output()).contains("node-2: fault injected: agent killed at phase Prepared", "node-2: agent exited",
                "RESULT: SUCCESS", "data verified: 2 of 2 workloads", "reboots per node: {node-1=1, node-2=1}");
        assertThat(run.exit()).as(run.output()).isZero();
        assertNoProcessLeft("launcher-kill");
    }

    @Test
    void keptFleetStaysUpUntilCtrlCAndThenLeavesNothingBehind() throws Exception {
        Process p = startKeptInBackground("launcher-keep");
        try {
            List<ProcessHandle> started = awaitKept(p, "launcher-keep");
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("Ctrl-C ends the sandbox").isTrue();
            assertThat(p.exitValue()).as("128 + SIGINT").isEqualTo(130);
            // Its shutdown hook stopped every process before the JVM ended.
            assertThat(LiveProcesses.runningOf(started)).as("processes still running after Ctrl-C").isEmpty();
        } finally {
            p.destroyForcibly();
        }
        assertNoProcessLeft("launcher-keep");
    }

    @Test
    void killedLauncherLeavesNothingBehind() throws Exception {
        Process p = startKeptInBackground("launcher-sigkill");
        try {
            List<ProcessHandle> started = awaitKept(p, "launcher-sigkill");
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs; the parent-death signal ends each child
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
            org.awaitility.Awaitility.await("every process the SIGKILLed sandbox started ends").atMost(java.time.Duration.ofMinutes(1))
                    .pollInterval(java.time.Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(LiveProcesses.runningOf(started)).as("still running").isEmpty());
        } finally {
            p.destroyForcibly();
        }
        assertNoProcessLeft("launcher-sigkill");
    }

    /**
     * A kept one-node sandbox started the way a CI step's background job ({@code nohup ... &} in a non-interactive
     * shell) starts it: with SIGINT ignored, which exec hands on to the JVM.
     */
    private static Process startKeptInBackground(String name) throws IOException {
        Path work = Files.createDirectories(REPO.resolve("e2e/target/fleets")).resolve(name);
        Path log = REPO.resolve("e2e/target/fleets/" + name + ".log");
        return new ProcessBuilder("sh", "-c", "trap '' INT; exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", REPO.resolve("sandbox/target/liveupdate-sandbox.jar") + ":" + REPO.resolve("sandbox/target/lib/*"),
                "dev.liveupdate.sandbox.SandboxMain", "--repo", REPO.toString(), "--work-dir", work.toString(),
                "--nodes", "1", "--keep").redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /** Waits until the rollout succeeded and the fleet is kept up; returns every process the sandbox runs then. */
    private static List<ProcessHandle> awaitKept(Process p, String name) throws IOException {
        Path log = REPO.resolve("e2e/target/fleets/" + name + ".log");
        org.awaitility.Awaitility.await("the fleet is kept up").atMost(java.time.Duration.ofMinutes(4))
                .pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> Files.readString(log).contains("--keep: the fleet stays up") || !p.isAlive());
        String output = Files.readString(log);
        assertThat(output).contains("RESULT: SUCCESS", "SIGINT arrived ignored (a background job?) and was reset");
        assertThat(p.isAlive()).as("still running after the rollout").isTrue();
        List<ProcessHandle> started = p.descendants().toList();
        assertThat(started).as("control plane, operators, agent").hasSizeGreaterThanOrEqualTo(5);
        return started;
    }

    /** Every process the sandbox started (their command lines name its work dir) is gone. */
    private static void assertNoProcessLeft(String name) {
        String marker = REPO.resolve("e2e/target/fleets").resolve(name).toString();
        List<String> left = ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(ph -> ph.pid() + " " + ph.info().commandLine().orElse(""))
                .toList();
        assertThat(left).as("processes left behind").isEmpty();
    }
}
