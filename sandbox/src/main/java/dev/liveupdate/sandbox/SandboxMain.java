package dev.liveupdate.sandbox;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The sandbox: one command runs a whole live-update fleet on this machine and shows the rollout live. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a local live-update fleet (real API server, operator, simulated nodes with agents and workloads), "
                + "applies a LiveUpdate plan and shows the rollout until every node finished and every workload verified its bytes.")
public final class SandboxMain implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "5", description = "Number of simulated nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--abi", defaultValue = "mixed", description = "Kernel ABI of the simulated nodes: A, B or mixed (default ${DEFAULT-VALUE}: alternating).")
    String abi;

    @Option(names = "--operators", defaultValue = "" + FleetOptions.DEFAULT_OPERATORS, description = "Operator replicas "
            + "(default ${DEFAULT-VALUE}): with more than one they elect a leader on a Lease and the others stand by; 1 runs a"
            + " single operator without leader election.")
    int operators;

    @Option(names = "--plan", description = "LiveUpdate to apply (default: examples/rollout.yaml).")
    Path plan;

    @Option(names = "--fault", description = "Inject a failure: prepare-fail=NODE (its kernel image is missing: fleet preflight stops the plan before any node unless it sets strategy.preflight Report), kill-agent=NODE@PHASE, "
            + "no-reclaim=NODE (after the kexec its workload is not started again: the restore times out), freeze-no-ack=NODE (its "
            + "workload never acknowledges the freeze before the kexec: the node fails FreezeTimeout), or kill-operator=[NODE@]PHASE "
            + "(the leading operator replica is SIGKILLed when the first node, or NODE, reports PHASE; the standby takes over). Repeatable.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--kernel-mirror", description = "Serve the sandbox kernels from a local HTTPS mirror and let the plan "
            + "name its kernel by URL (kernel.url): every node stages it ahead of its wave (status.staging), preflight waits "
            + "for all, and each node loads the staged copy.")
    boolean kernelMirror;

    @Option(names = "--keep", description = "Keep the fleet running after the rollout, until Ctrl-C.")
    boolean keep;

    @Option(names = "--timeout", defaultValue = "10m", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--work-dir", description = "Where state and logs go (default: a new directory under /tmp).")
    Path workDir;

    @Option(names = "--plain", description = "Print progress lines instead of a live table (the default when not on a terminal).")
    boolean plain;

    @Option(names = "--real-node", description = "Instead of simulated nodes: build the images, start a real kubelet node "
            + "(containerd, kubelet, kube-proxy; needs root), helm install the chart and roll a workload pod's node through "
            + "a plan (the agent pod uses the simulated kernel).")
    boolean realNode;

    @Option(names = "--repo", description = "Repository root (default: found from the current directory).")
    Path repo;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SandboxMain());
        // A setup problem is a sentence with the fix, not a stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("sandbox: error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Duration limit = Duration.parse("PT" + timeout.toUpperCase());
        // Before any child starts, so they inherit default dispositions too.
        List<String> reclaimed = StopSignals.reclaim();
        if (!reclaimed.isEmpty()) {
            out.println("sandbox: SIG" + String.join(" and SIG", reclaimed) + " arrived ignored (a background job?) and "
                    + (reclaimed.size() == 1 ? "was" : "were") + " reset: Ctrl-C and kill stop the sandbox as usual");
        }
        FleetLayout layout = repo == null ? FleetLayout.locate(Path.of("")) : FleetLayout.of(repo);
        if (realNode) {
            Path root = layout.repoRoot();
            return new dev.liveupdate.sandbox.realnode.RealNodeSandbox(out, !plain && System.console() != null)
                    .run(root, workDir, limit, keep);
        }
        Path dir = workDir != null ? workDir : java.nio.file.Files.createTempDirectory("liveupdate-sandbox-");
        FleetOptions options = new FleetOptions(nodes, abi, dir, faults.stream().map(Fault::parse).toList(), Duration.ofMinutes(2),
                operators);
        // Outside the work dir, which the fleet wipes (or refuses when not its own).
        KernelMirror mirror = kernelMirror ? new KernelMirror(java.nio.file.Files.createTempDirectory("liveupdate-sandbox-mirror-")) : null;
        if (mirror != null) {
            options = mirror.configure(options);
            out.println("sandbox: kernel mirror at " + mirror.prefix() + " (the plan names its kernel by URL)");
        }
        Path planFile = plan != null ? plan : layout.examplesDir().resolve("rollout.yaml");
        boolean interactive = !plain && System.console() != null;
        Instant started = Instant.now();
        out.println("sandbox: " + nodes + " nodes, ABI " + abi + ", " + operators + " operator replica(s), work dir " + dir);

        // On a terminal the table redraws, and the fleet's events are shown under it instead.
        java.util.concurrent.atomic.AtomicBoolean tableShown = new java.util.concurrent.atomic.AtomicBoolean();
        Fleet fleet = new Fleet(options, layout, line -> {
            if (!(interactive && tableShown.get())) {
                out.println("sandbox: " + line);
            }
        });
        CountDownLatch closed = new CountDownLatch(1);
        Thread cleanup = new Thread(() -> {
            fleet.close();
            if (mirror != null) {
                mirror.close();
            }
            closed.countDown();
        }, "sandbox-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);

        fleet.start();
        out.println("sandbox: kubeconfig " + fleet.cluster().kubeconfig() + "; inspect the plan while it runs with\n"
                + "sandbox:   " + fleet.cluster().binaries().directory().resolve("kubectl") + " --kubeconfig "
                + fleet.cluster().kubeconfig() + " get lu,lun");
        List<String> notPreserved = fleet.awaitWorkloadsPreserved(Duration.ofMinutes(2));
        if (!notPreserved.isEmpty()) {
            out.println("sandbox: the workloads of " + String.join(", ", notPreserved) + " have not preserved their memory "
                    + "after 2 min; applying the plan anyway (see their logs under nodes/<node>/logs/)");
        }
        String planName = (mirror == null ? fleet.applyPlan(planFile) : fleet.applyPlan(mirror.byUrl(Fleet.readPlan(planFile))))
                .getMetadata().getName();
        out.println("sandbox: applied " + planFile + " (LiveUpdate " + planName + ")");

        FleetView view = new FleetView(out, interactive);
        tableShown.set(true);
        RolloutSnapshot last;
        boolean timedOut;
        Instant deadline = Instant.now().plus(limit);
        InFlightNodes inFlight = new InFlightNodes(InFlightNodes.SETTLE_TIMEOUT);
        while (true) {
            last = RolloutSnapshot.take(fleet, planName, Duration.between(started, Instant.now()).toMillis());
            view.show(last.header(), last.rows(), fleet.events());
            boolean workloadsDone = last.allWorkloadsVerified() || last.anyWorkloadFailed();
            boolean succeeded = last.phase() == dev.liveupdate.api.v1alpha1.PlanPhase.Succeeded;
            // A halted (failed, cancelled) plan leaves nodes that still finish by themselves: let them settle first.
            if (last.planSettled() && (succeeded ? workloadsDone : inFlight.settled(last, fleet.nodes(), Instant.now()))) {
                timedOut = false;
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                timedOut = true;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500); // display refresh interval, not synchronization
        }
        java.util.List<String> stillMoving = InFlightNodes.of(last, fleet.nodes());
        if (!timedOut && !stillMoving.isEmpty()) {
            out.println("sandbox: still in flight after " + FleetView.seconds(InFlightNodes.SETTLE_TIMEOUT.toMillis()) + " of settling: "
                    + String.join(", ", stillMoving) + "; the summary shows them as they are now");
        }
        out.print(Summary.render(last, fleet, Duration.between(started, Instant.now()).toMillis(), timedOut));
        if (mirror != null) {
            out.println("sandbox: the kernel mirror served " + mirror.downloads() + " download(s) for " + nodes + " node(s); "
                    + "each node's status.staging shows its staged copy (kubectl get lun -o yaml)");
        }
        if (keep) {
            out.println("sandbox: --keep: the fleet stays up; kubeconfig " + fleet.cluster().kubeconfig() + "; Ctrl-C stops everything");
            closed.await();
        }
        return last.success() ? 0 : 1;
    }
}
