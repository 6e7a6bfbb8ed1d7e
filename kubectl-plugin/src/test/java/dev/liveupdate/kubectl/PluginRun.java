package dev.liveupdate.kubectl;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One in-process run of kubectl liveupdate through --kubeconfig, as the executable connects: exit code, stdout, stderr. */
record PluginRun(int code, String out, String err) {
    static PluginRun run(Path kubeconfig, StringWriter out, String input, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = LiveUpdateCommand.commandLine(ClientFactory.KUBECONFIG, Terminal.PLAIN,
                new BufferedReader(new StringReader(input)));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--kubeconfig";
        all[1] = kubeconfig.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = cmd.execute(all);
        return new PluginRun(code, out.toString(), err.toString());
    }

    static PluginRun run(Path kubeconfig, String input, String... args) {
        return run(kubeconfig, new StringWriter(), input, args);
    }
}
