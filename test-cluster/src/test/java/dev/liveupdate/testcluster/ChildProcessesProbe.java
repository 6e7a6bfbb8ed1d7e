package dev.liveupdate.testcluster;

/** A JVM that starts one child through {@link ChildProcesses}, prints its pid and waits until stdin closes. */
public final class ChildProcessesProbe {
    private ChildProcessesProbe() {
    }

    public static void main(String[] args) throws Exception {
        Process child = ChildProcesses.start(new ProcessBuilder("sleep", "600"));
        System.out.println("child " + child.pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold on until the test closes stdin or kills this JVM
        }
    }
}
