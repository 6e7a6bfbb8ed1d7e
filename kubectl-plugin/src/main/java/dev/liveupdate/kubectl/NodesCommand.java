package dev.liveupdate.kubectl;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nodes}: the fleet's live-update inventory from the LiveUpdateNodes. */
@Command(name = "nodes", description = "List the fleet's live-update inventory: capability, ABI, kernel, agent, current phase and last result.")
final class NodesCommand implements Callable<Integer> {
    @ParentCommand
    LiveUpdateCommand root;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<InventoryRow> rows;
        try (KubernetesClient client = root.connect()) {
            rows = InventoryRows.of(client.resources(LiveUpdateNode.class).list().getItems());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(root.output() == OutputFormat.json ? JsonOutput.pretty(rows) + "\n"
                : new NodesRenderer(root.terminal().style()).render(rows));
        out.flush();
        return ExitCodes.OK;
    }
}
