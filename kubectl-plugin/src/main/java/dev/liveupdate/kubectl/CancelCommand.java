package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cancel PLAN}: spec.cancel=true, after a confirmation (it cannot be undone) unless --yes. */
@Command(name = "cancel", description = "Cancel a plan (spec.cancel=true): nodes not yet rebooted return to normal, nodes already rebooted are finished. Cannot be undone.")
final class CancelCommand implements Callable<Integer> {
    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PLAN", description = "Name of the LiveUpdate.")
    String plan;
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        try (KubernetesClient client = root.connect()) {
            LiveUpdate lu = PlanSpecPatch.get(client, plan);
            if (PlanSpecPatch.isTrue(lu.getSpec().getCancel())) {
                spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan + " already cancelled");
                return ExitCodes.OK;
            }
            String what = "Cancelling LiveUpdate " + plan + " cannot be undone: its nodes not yet rebooted return to normal"
                    + " (sessions released, nothing loaded), nodes already rebooted are finished, and the plan cannot be resumed.";
            if (!yes && !Confirmation.ask(spec.commandLine().getErr(), root.input(), what)) {
                throw CliException.refused("not cancelled");
            }
            PlanSpecPatch.set(client, plan, "cancel", true);
            spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan + " cancelled");
            return ExitCodes.OK;
        }
    }
}
