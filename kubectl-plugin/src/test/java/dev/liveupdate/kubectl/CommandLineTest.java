package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument handling without a cluster: the client factory records what it was asked for and stops there. */
class CommandLineTest {
    private final List<String> connects = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        ClientFactory recording = (kubeconfig, context) -> {
            connects.add(kubeconfig + "|" + context);
            throw new CliException(ExitCodes.API_ERROR, "stop here");
        };
        CommandLine cmd = LiveUpdateCommand.commandLine(recording, Terminal.PLAIN, new BufferedReader(new StringReader("")));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        assertThat(run("--kubeconfig", "/k", "--context", "prod", "status", "p")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(run("status", "p", "--context=dev", "--kubeconfig=/j")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(run("nodes")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(connects).containsExactly("/k|prod", "/j|dev", "null|null");
        assertThat(err.toString()).contains("error: stop here");
    }

    @Test
    void usageErrorsExitWith2AndSayWhat() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("status")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: 'PLAN'");
        assertThat(run("status", "p", "-o", "yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--output'");
        assertThat(run("watch", "p", "--timeout", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("'soon' is not a duration");
        assertThat(run("release")).isEqualTo(ExitCodes.USAGE);
        assertThat(connects).isEmpty();
    }

    @Test
    void outputFormatIsCaseInsensitiveAndDurationsAreTheApis() {
        assertThat(run("-o", "JSON", "status", "p")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(run("watch", "p", "--timeout", "1h30m")).isEqualTo(ExitCodes.API_ERROR);
        assertThat(connects).hasSize(2);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("status", "watch", "pause", "resume", "cancel", "release", "nodes",
                "Exit codes:", "5   watch: --timeout passed");
        out.getBuffer().setLength(0);
        assertThat(run("release", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Usage: kubectl liveupdate release", "-y, --yes", "Exit codes:");
        assertThat(connects).isEmpty();
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        assertThat(Terminal.of(true, null, false).colour()).isTrue();
        assertThat(Terminal.of(true, "", false).colour()).isTrue();
        assertThat(Terminal.of(true, "1", false).colour()).isFalse();
        assertThat(Terminal.of(true, null, true).colour()).isFalse();
        assertThat(Terminal.of(false, null, false).colour()).isFalse();
        assertThat(Terminal.of(false, null, false).interactive()).isFalse();
    }

    @Test
    void confirmationNeedsAYes() {
        StringWriter prompt = new StringWriter();
        assertThat(Confirmation.ask(new PrintWriter(prompt), new BufferedReader(new StringReader("yes\n")), "Lose it?")).isTrue();
        assertThat(Confirmation.ask(new PrintWriter(prompt), new BufferedReader(new StringReader("Y\n")), "Lose it?")).isTrue();
        assertThat(Confirmation.ask(new PrintWriter(prompt), new BufferedReader(new StringReader("\n")), "Lose it?")).isFalse();
        assertThat(Confirmation.ask(new PrintWriter(prompt), new BufferedReader(new StringReader("nope\n")), "Lose it?")).isFalse();
        assertThat(Confirmation.ask(new PrintWriter(prompt), new BufferedReader(new StringReader("")), "Lose it?")).isFalse();
        assertThat(prompt.toString()).contains("Lose it?\nContinue? [y/N] ");
    }
}
