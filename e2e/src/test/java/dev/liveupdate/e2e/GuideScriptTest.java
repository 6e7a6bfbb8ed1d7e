package dev.liveupdate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuideScriptTest {

    @Test
    void readsCommandsContinuationsHeredocsExitCodesAndShownOutput() {
        List<GuideCommand> commands = GuideScript.parse(List.of(
                "## 1. Install",
                "```console",
                "$ kubectl get lu",
                "NAME   PHASE",
                "$ helm install x \\",
                "    --dry-run=server",
                "```",
                "```text",
                "$ not run",
                "```",
                "## 2. Plan",
                "```console",
                "$ kubectl apply -f - <<EOF",
                "kind: LiveUpdate",
                "EOF",
                "$ kubectl liveupdate status p   # exits 1: the plan failed",
                "```"));
        assertThat(commands).extracting(GuideCommand::text).containsExactly(
                "kubectl get lu", "helm install x \\\n    --dry-run=server", "kubectl apply -f - <<EOF\nkind: LiveUpdate\nEOF",
                "kubectl liveupdate status p   # exits 1: the plan failed");
        assertThat(commands).extracting(GuideCommand::expectedExit).containsExactly(0, 0, 0, 1);
        assertThat(commands).extracting(GuideCommand::section).containsExactly("1. Install", "1. Install", "2. Plan", "2. Plan");
        assertThat(commands.get(0).shownOutput()).isEqualTo("NAME   PHASE\n");
        assertThat(commands.get(0).line()).isEqualTo(3);
    }

    @Test
    void refusesAConsoleBlockWithoutACommand() {
        assertThatThrownBy(() -> GuideScript.parse(List.of("```console", "NAME   PHASE", "```")))
                .hasMessageContaining("guide line 1:").hasMessageContaining("without a \"$ \" command");
    }

    @Test
    void refusesAnUnclosedBlockOrHeredoc() {
        assertThatThrownBy(() -> GuideScript.parse(List.of("```console", "$ kubectl get lu")))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> GuideScript.parse(List.of("```console", "$ cat <<EOF", "x", "```")))
                .hasMessageContaining("heredoc EOF has no end line");
    }
}
