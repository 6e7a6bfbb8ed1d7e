package dev.liveupdate.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code status PLAN}: waves, per-node phase, blackout, failures and what holds the rollout. */
@Command(name = "status", description = "Show a plan: waves, each node's phase, blackout, failures, and what holds the rollout and why.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PLAN", description = "Name of the LiveUpdate.")
    String plan;

    @Override
    public Integer call() {
        PlanReport report;
        try (KubernetesClient client = root.connect()) {
            report = PlanReports.fetch(client, plan);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(report, root.output(), root.terminal().style()));
        out.flush();
        return report.notOk() ? ExitCodes.PLAN_NOT_OK : ExitCodes.OK;
    }

    static String render(PlanReport report, OutputFormat format, Style style) {
        return format == OutputFormat.json ? JsonOutput.pretty(report) + "\n" : new StatusRenderer(style).render(report);
    }
}
