package dev.liveupdate.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the commands of a Markdown guide: every ```console block holds commands after a "$ " prompt (a trailing
 * backslash continues one, a heredoc's body belongs to it) and the output the guide shows under them. Other fences
 * (```text, ```yaml) are not run. A console block without a command is an error, so a typo cannot hide a step.
 */
final class GuideScript {
    private static final String RUN_FENCE = "```console";
    private static final String PROMPT = "$ ";
    private static final Pattern EXPECTED_EXIT = Pattern.compile("#\\s*exits\\s+(\\d+)\\b");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*'?\"?([A-Za-z_]+)'?\"?");

    private GuideScript() {
    }

    static List<GuideCommand> read(Path guide) throws IOException {
        return parse(Files.readAllLines(guide));
    }

    static List<GuideCommand> parse(List<String> lines) {
        List<GuideCommand> commands = new ArrayList<>();
        String section = "";
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            }
            if (!line.trim().equals(RUN_FENCE)) {
                i++;
                continue;
            }
            int blockStart = i + 1;
            int before = commands.size();
            i++;
            while (i < lines.size() && !lines.get(i).trim().equals("```")) {
                if (!lines.get(i).startsWith(PROMPT)) {
                    i++;
                    continue;
                }
                int start = i;
                StringBuilder text = new StringBuilder(lines.get(i).substring(PROMPT.length()));
                while (text.toString().endsWith("\\") && i + 1 < lines.size()) {
                    i++;
                    text.append('\n').append(lines.get(i));
                }
                Matcher heredoc = HEREDOC.matcher(text);
                if (heredoc.find()) {
                    String end = heredoc.group(1);
                    do {
                        i++;
                        if (i >= lines.size() || lines.get(i).trim().equals("```")) {
                            throw new IllegalArgumentException("guide line " + (start + 1) + ": heredoc " + end + " has no end line");
                        }
                        text.append('\n').append(lines.get(i));
                    } while (!lines.get(i).equals(end));
                }
                i++;
                StringBuilder shown = new StringBuilder();
                while (i < lines.size() && !lines.get(i).startsWith(PROMPT) && !lines.get(i).trim().equals("```")) {
                    shown.append(lines.get(i)).append('\n');
                    i++;
                }
                Matcher exit = EXPECTED_EXIT.matcher(firstLine(text.toString()));
                int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
                commands.add(new GuideCommand(section, start + 1, text.toString(), expected, shown.toString()));
            }
            if (i >= lines.size()) {
                throw new IllegalArgumentException("guide line " + blockStart + ": the console block is not closed");
            }
            if (commands.size() == before) {
                throw new IllegalArgumentException("guide line " + blockStart + ": a console block without a \"$ \" command "
                        + "(use ```text for output or commands the test cannot run)");
            }
            i++;
        }
        return commands;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
