package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.sandbox.WorkloadState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/guide.md, every command, in order, against a fleet of three nodes (real API server, the chart installed, the
 * operator and agents as processes on simulated kernels), with kubectl, helm and `kubectl liveupdate` on PATH. Each
 * command must exit as the guide says (0, or a trailing "# exits N"); a few outputs the guide shows are checked.
 *
 * <p>One thing the guide cannot do by a command: make a workload not come back after its kexec. Before the first
 * command of the section {@value #FAILURE_SECTION} the test arms the sandbox's no-reclaim fault on {@value
 * #FAILING_NODE} (ABI A, where a failed restore is held), so the plan of that section fails there.
 */
class GuideIT {
    private static final Path REPO = Path.of(System.getProperty("liveupdate.repo", "..")).toAbsolutePath().normalize();
    static final String FAILURE_SECTION = "7. When a node fails";
    static final String FAILING_NODE = "node-3";

    @Test
    void everyCommandOfTheGuideRunsAsShown() throws Exception {
        List<GuideCommand> commands = GuideScript.read(REPO.resolve("docs/guide.md"));
        assertThat(commands).as("the guide's commands").hasSizeGreaterThan(10);
        assertThat(commands).as("the section where the test arms the fault exists")
                .anyMatch(c -> c.section().equals(FAILURE_SECTION));
        Instant started = Instant.now();
        try (FleetScenario s = FleetScenario.start("guide", 3)) {
            // Where the guide starts: the chart installed, every node's workload running with its memfd handed over,
            // and each agent's LiveUpdateNode created (the guide's `kubectl wait lun --all` needs all three to exist).
            s.awaitAllWorkloads(WorkloadState.PRESERVED);
            for (var node : s.nodes()) {
                await("LiveUpdateNode " + node.name() + " exists").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> s.lun(node.name()) != null);
            }
            Path bin = GuideShell.tools(REPO.resolve("e2e/target/guide/bin"),
                    s.fleet.cluster().binaries().directory().resolve("kubectl"),
                    s.fleet.cluster().binaries().helm(),
                    REPO.resolve("kubectl-plugin/bin/kubectl-liveupdate"));
            GuideShell shell = new GuideShell(REPO, bin, s.fleet.cluster().kubeconfig());
            List<String> outputs = new ArrayList<>();
            for (GuideCommand command : commands) {
                if (command.section().equals(FAILURE_SECTION) && !s.fleet.nodes().get(FAILING_NODE).noReclaim()) {
                    s.fleet.nodes().get(FAILING_NODE).holdBackWorkloadAfterKexec();
                }
                Instant t0 = Instant.now();
                GuideShell.Result result = shell.run(command.text());
                System.out.println("[guide] " + command + "\n[guide] exit " + result.exitCode() + " in "
                        + Duration.between(t0, Instant.now()).toMillis() + " ms\n" + result.output());
                assertThat(result.exitCode()).as(command + "\noutput:\n" + result.output()).isEqualTo(command.expectedExit());
                outputs.add(result.output());
            }
            System.out.println("[guide] " + commands.size() + " commands in " + Duration.between(started, Instant.now()).toSeconds() + " s");

            // The guide's updates kept the data: the pilot's and the early ring's workloads got their bytes back
            // (SHA-256), the late ring's workload never came back (the fault), and each node booted once more.
            for (String node : List.of("node-1", "node-2")) {
                await(node + "'s workload verifies its memfd").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                        .until(() -> s.fleet.nodes().get(node).workloadState() == WorkloadState.VERIFIED);
            }
            assertThat(s.fleet.nodes().get(FAILING_NODE).workloadState()).isEqualTo(WorkloadState.NOT_RESTARTED);
            assertThat(s.nodes()).allSatisfy(node -> assertThat(node.boots()).as(node.name() + " boots").isEqualTo(2));

            // A few outputs the guide shows, found in what its commands printed.
            assertShown(commands, outputs, "kubectl liveupdate nodes", "3 node(s), 3 capable of a live update");
            assertShown(commands, outputs, "kubectl liveupdate status kernel-7-2-pilot", "Phase      Succeeded   target Finished");
            assertShown(commands, outputs, "kubectl liveupdate status kernel-7-2-early", "Nodes      total 1: prepared 1");
            assertShown(commands, outputs, "kubectl liveupdate status kernel-7-2-late", "RestoreTimeout");
            assertShown(commands, outputs, "kubectl liveupdate status kernel-7-2-late", "RestoreHeld: node-3");
            assertShown(commands, outputs, "kubectl get lu kernel-7-2-late -o jsonpath", "node-3 RestoreTimeout");
            assertShown(commands, outputs, "kubectl liveupdate release node-3", "reports Finished/DiscardedOnRequest");
            assertShown(commands, outputs, "kubectl apply --dry-run=server -f examples/canary.yaml",
                    "is outside the kernel directories the agents read");
            assertShown(commands, outputs, "helm template liveupdate", "- alert: LiveUpdateRestoreHeld");
        }
    }

    /** The first command starting with {@code prefix} printed {@code text}, and the guide shows it too. */
    private static void assertShown(List<GuideCommand> commands, List<String> outputs, String prefix, String text) {
        int i = indexOf(commands, prefix);
        assertThat(i).as("the guide runs a command starting with: " + prefix).isNotNegative();
        assertThat(commands.get(i).shownOutput()).as("the guide shows, under " + commands.get(i), text).contains(text);
        assertThat(outputs.get(i)).as("output of " + commands.get(i)).contains(text);
    }

    private static int indexOf(List<GuideCommand> commands, String prefix) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).text().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
