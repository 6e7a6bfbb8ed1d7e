package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code watch PLAN}: status, redrawn on every change of the plan or its nodes, until the plan succeeds, halts, fails
 * or is cancelled (exit code as status), --timeout passes (5) or Ctrl-C.
 */
@Command(name = "watch", description = "Show a plan's status live, redrawn on every change, until it Succeeded, Halted, Failed or was Cancelled.")
final class WatchCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PLAN", description = "Name of the LiveUpdate.")
    String plan;
    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long (e.g. 30m) with exit code 5. Default: no limit.")
    Duration timeout;

    /**
     * The status describes the current spec: right after a spec change (a staged plan moved on, resumed, cancelled)
     * the phase may still be the previous generation's Succeeded or Halted, which must not end the watch.
     */
    static boolean caughtUp(LiveUpdate lu) {
        Long observed = lu.getStatus() == null ? null : lu.getStatus().getObservedGeneration();
        Long generation = lu.getMetadata().getGeneration();
        return generation == null || observed != null && observed >= generation;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
        boolean json = root.output() == OutputFormat.json;
        boolean redraw = !json && root.terminal().interactive();
        try (KubernetesClient client = root.connect(); PlanWatch watch = new PlanWatch(client, plan)) {
            String last = null;
            while (true) {
                LiveUpdate lu = watch.plan();
                if (lu == null) {
                    throw CliException.notFound("LiveUpdate " + plan + (last == null ? " not found (kubectl get lu lists the plans)" : " was deleted"));
                }
                PlanReport report = PlanReports.of(lu, watch.nodes());
                String frame = json ? JsonOutput.line(report) + "\n" : StatusCommand.render(report, root.output(), root.terminal().style());
                if (!frame.equals(last)) {
                    if (redraw) {
                        out.print(CLEAR_SCREEN + "Every change of " + plan + ", last " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                                + "   (Ctrl-C to stop)\n\n");
                    } else if (last != null && !json) {
                        out.print("\n");
                    }
                    out.print(frame);
                    out.flush();
                    last = frame;
                }
                if (report.settled() && caughtUp(lu)) {
                    return report.notOk() ? ExitCodes.PLAN_NOT_OK : ExitCodes.OK;
                }
                Duration wait = deadline == null ? Duration.ofMinutes(10) : Duration.between(Instant.now(), deadline);
                if (deadline != null && wait.isNegative()) {
                    throw new CliException(ExitCodes.TIMEOUT, "timed out after " + timeout.toSeconds()
                            + "s; LiveUpdate " + plan + " is " + report.phase());
                }
                watch.awaitChange(wait);
            }
        }
    }
}
