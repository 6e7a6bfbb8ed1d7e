package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code resume PLAN}: spec.paused=false. A cancelled plan cannot be resumed (the API forbids undoing cancel). */
@Command(name = "resume", description = "Resume a paused plan (spec.paused=false).")
final class ResumeCommand implements Callable<Integer> {
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
                throw CliException.refused("LiveUpdate " + plan
                        + " is cancelled and cannot be resumed: delete it and create a new one");
            }
            if (!PlanSpecPatch.isTrue(lu.getSpec().getPaused())) {
                spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan + " is not paused"
                        + (lu.getStatus() != null && lu.getStatus().getPhase() != null
                                && "Halted".equals(lu.getStatus().getPhase().name())
                                ? " (it is Halted: see kubectl liveupdate status " + plan + " for what holds it)" : ""));
                return ExitCodes.OK;
            }
            PlanSpecPatch.set(client, plan, "paused", false);
            spec.commandLine().getOut().println("liveupdate.liveupdate.dev/" + plan + " resumed");
            return ExitCodes.OK;
        }
    }
}
