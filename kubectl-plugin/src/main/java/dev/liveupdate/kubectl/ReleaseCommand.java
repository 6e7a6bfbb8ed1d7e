package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code release NODE}: writes liveupdate.dev/discard-unrestored=&lt;uid of the plan whose restore failed&gt; on the
 * node's LiveUpdateNode, after a confirmation saying what the kernel drops.
 */
@Command(name = "release", description = "Release a failed restore's files held on a node (annotation "
        + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=<plan uid>): the kernel discards what no workload took back.")
final class ReleaseCommand implements Callable<Integer> {
    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "NODE", description = "Name of the node (its LiveUpdateNode).")
    String node;
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        try (KubernetesClient client = root.connect()) {
            LiveUpdateNode lun = client.resources(LiveUpdateNode.class).withName(node).get();
            if (lun == null) {
                throw CliException.notFound("LiveUpdateNode " + node + " not found (kubectl liveupdate nodes lists them)");
            }
            HeldRestore held = HeldRestore.of(lun).orElseThrow(() -> CliException.refused("node " + node
                    + " holds no failed restore (its agent reports no RestoreHeld condition): nothing to release"));
            Map<String, String> annotations = lun.getMetadata().getAnnotations();
            String current = annotations == null ? null : annotations.get(LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION);
            if (held.planUid().equals(current)) {
                spec.commandLine().getOut().println("liveupdatenode.liveupdate.dev/" + node
                        + " release already requested for plan uid " + held.planUid() + "; waiting for its agent");
                return ExitCodes.OK;
            }
            if (!yes && !Confirmation.ask(spec.commandLine().getErr(), root.input(), held.whatIsLost())) {
                throw CliException.refused("not released");
            }
            String patch = "{\"metadata\":{\"annotations\":{\"" + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "\":\""
                    + held.planUid() + "\"}}}";
            client.resources(LiveUpdateNode.class).withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            spec.commandLine().getOut().println("liveupdatenode.liveupdate.dev/" + node + " annotated "
                    + LiveUpdateNode.DISCARD_UNRESTORED_ANNOTATION + "=" + held.planUid()
                    + "; the agent sends FINISH and reports Finished/DiscardedOnRequest");
            return ExitCodes.OK;
        }
    }
}
