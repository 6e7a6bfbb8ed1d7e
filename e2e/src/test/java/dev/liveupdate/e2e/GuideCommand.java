package dev.liveupdate.e2e;

/**
 * One command of docs/guide.md as a reader would type it.
 *
 * @param section      the guide's "## " heading above it
 * @param line         its line number in the guide (1-based), for failure messages
 * @param text         the command without the "$ " prompt (continuation lines and heredoc bodies included)
 * @param expectedExit the exit code the guide promises: 0, or N from a trailing "# exits N" comment
 * @param shownOutput  the output lines the guide shows under it (an excerpt)
 */
record GuideCommand(String section, int line, String text, int expectedExit, String shownOutput) {
    @Override
    public String toString() {
        return "guide line " + line + " (" + section + "): $ " + text;
    }
}
