package dev.liveupdate.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code kubectl liveupdate}: the root command, its global options and what the subcommands share. */
@Command(name = "kubectl liveupdate", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "kubectl-liveupdate 0.1.0",
        description = "Status and day-2 actions for liveupdate.dev plans (LiveUpdate) and nodes (LiveUpdateNode).",
        subcommands = {StatusCommand.class, WatchCommand.class, PauseCommand.class, ResumeCommand.class,
                CancelCommand.class, ReleaseCommand.class, NodesCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:status/watch: plan Halted, Failed or Cancelled; cancel/release: refused or not confirmed",
                "2:usage error", "3:plan or node not found", "4:API server unreachable or request refused",
                "5:watch: --timeout passed"})
public final class LiveUpdateCommand implements Runnable {
    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).")
    String kubeconfig;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The kubeconfig context to use (default: its current context).")
    String context;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final ClientFactory clients;
    private final Terminal terminal;
    private final BufferedReader input;

    public LiveUpdateCommand(ClientFactory clients, Terminal terminal, BufferedReader input) {
        this.clients = clients;
        this.terminal = terminal;
        this.input = input;
    }

    /** The command line as the executable runs it: kubeconfig client, this process's terminal and stdin. */
    public static CommandLine commandLine() {
        return commandLine(ClientFactory.KUBECONFIG, Terminal.detect(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    public static CommandLine commandLine(ClientFactory clients, Terminal terminal, BufferedReader input) {
        CommandLine cmd = new CommandLine(new LiveUpdateCommand(clients, terminal, input));
        cmd.setExecutionExceptionHandler(new ErrorHandler());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: status, watch, pause, resume, cancel, release or nodes");
    }

    /** The API server of the last connection, for error messages; null before one was made. */
    private volatile String server;

    KubernetesClient connect() {
        KubernetesClient client = clients.connect(kubeconfig, context);
        server = client.getConfiguration() == null ? null : client.getConfiguration().getMasterUrl();
        return client;
    }

    String server() {
        return server;
    }

    OutputFormat output() {
        return output == null ? OutputFormat.table : output;
    }

    Terminal terminal() {
        return terminal;
    }

    BufferedReader input() {
        return input;
    }
}
