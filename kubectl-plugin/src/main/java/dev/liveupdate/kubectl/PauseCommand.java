package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pause PLAN}: spec.paused=true; no node starts a new step, nodes keep the step they have. */
@Command(name = "pause", description = "Pause a plan (spec.paused=true): no node starts a new step; nodes keep the step they have.")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "PLAN", description = "Name of the LiveUpdate.")
    String plan;

    @Override
    public Integer call() {
        try (KubernetesClient client = root.connect()) {
            LiveUpdate lu = PlanSpecPatch.get(client, plan);
            if (PlanSpecPatch.isTrue(lu.getSpec().getCancel())) {
                throw CliException.refused("LiveUpdate " + plan + " is cancelled; pausing it changes nothing");
            }
            if (PlanSpecPatch.isTrue(lu.getSpec().getPaused())) {
                spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan + " already paused");
                return ExitCodes.OK;
            }
            PlanSpecPatch.set(client, plan, "paused", true);
            spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan
                    + " paused: no node starts a new step; nodes keep the step they have (resume with: kubectl liveupdate resume " + plan + ")");
            return ExitCodes.OK;
        }
    }
}
