package dev.liveupdate.agent.handoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A separate workload process (test resource workload_peer.py) that joins a cgroup, then talks to the agent socket
 * and reports each step as a JSON line. Each step is a map, e.g. {@code Map.of("op", "retrieve", "session", "vm", "token", 1)}.
 */
public final class WorkloadPeerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;

    private WorkloadPeerProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the peer in {@code cgroup} (null: stays where the test runs, a host process). */
    public static WorkloadPeerProcess start(Path socket, Path cgroup, List<Map<String, Object>> steps) throws IOException {
        Path script = Files.createTempFile("workload_peer", ".py");
        try (InputStream in = WorkloadPeerProcess.class.getResourceAsStream("/workload_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), socket.toString(),
                cgroup == null ? "-" : KubeletStyleCgroups.procs(cgroup).toString(), JSON.writeValueAsString(steps));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new WorkloadPeerProcess(pb.start());
    }

    /** Runs every step and waits for the process to end; one result per step. */
    public static List<JsonNode> run(Path socket, Path cgroup, List<Map<String, Object>> steps) throws Exception {
        try (WorkloadPeerProcess p = start(socket, cgroup, steps)) {
            List<JsonNode> results = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                results.add(p.next());
            }
            p.finish();
            return results;
        }
    }

    /** The next step's result (blocks until the process prints it). */
    public JsonNode next() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the workload process ended early (exit " + waitExit() + ")");
        }
        return JSON.readTree(line);
    }

    /** Closes its stdin (ends a wait-stdin step) and waits for it to exit with 0. */
    public void finish() throws Exception {
        process.getOutputStream().close();
        int code = waitExit();
        if (code != 0) {
            throw new IllegalStateException("workload process exited " + code);
        }
    }

    private int waitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One step. */
    public static Map<String, Object> step(String op, Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("op", op);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
