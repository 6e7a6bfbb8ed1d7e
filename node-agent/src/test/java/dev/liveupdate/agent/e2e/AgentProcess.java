package dev.liveupdate.agent.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One node-agent JVM, launched the way the DaemonSet launches it (small-footprint flags), on a simulated node. */
final class AgentProcess {
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx48m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:MaxMetaspaceSize=80m", "-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=1", "-Xshare:auto");

    /** @param kernelDir the directory the agent may load kernels from (liveupdate.agent.kernel-dirs; host root "/") */
    static Process start(String node, Path kubeconfig, Path simDir, Path stateDir, Path socket, Path kernelDir, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-Dliveupdate.agent.node-name=" + node);
        cmd.add("-Dliveupdate.agent.reboot-strategy=simulated");
        cmd.add("-Dliveupdate.agent.simulator.state-dir=" + simDir);
        cmd.add("-Dliveupdate.agent.simulator.generation=B");
        cmd.add("-Dliveupdate.agent.state-dir=" + stateDir);
        cmd.add("-Dliveupdate.agent.socket.path=" + socket);
        cmd.add("-Dliveupdate.agent.kernel-dirs=" + kernelDir);
        cmd.add("-Dliveupdate.agent.tick=200ms");
        cmd.add("-Dquarkus.http.port=0");
        cmd.add("-jar");
        cmd.add(Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        return pb.start();
    }

    /** Resident set size of a process, from /proc. */
    static long rssKiB(long pid) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
