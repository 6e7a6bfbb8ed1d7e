package dev.liveupdate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the guide's commands as a reader's shell would: bash with pipefail, in the repository (the guide's paths are
 * relative to it), KUBECONFIG pointing at the fleet, and kubectl, kubectl-liveupdate and helm first on PATH.
 */
final class GuideShell {
    private static final long TIMEOUT_MINUTES = 6;
    private final Path repo;
    private final Path bin;
    private final Path kubeconfig;

    GuideShell(Path repo, Path bin, Path kubeconfig) {
        this.repo = repo;
        this.bin = bin;
        this.kubeconfig = kubeconfig;
    }

    /** A bin directory with links to the pinned kubectl and helm and the plugin's launcher. */
    static Path tools(Path dir, Path kubectl, Path helm, Path pluginLauncher) throws IOException {
        Files.createDirectories(dir);
        for (Path tool : List.of(kubectl, helm, pluginLauncher)) {
            Path link = dir.resolve(tool.getFileName());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, tool);
        }
        return dir;
    }

    record Result(int exitCode, String output) {
    }

    Result run(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
                .directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("HELM_CONFIG_HOME", bin.resolveSibling("helm-config").toString());
        pb.environment().put("HELM_CACHE_HOME", bin.resolveSibling("helm-cache").toString());
        pb.environment().put("HELM_DATA_HOME", bin.resolveSibling("helm-data").toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // Read on another thread while it runs (a full pipe would stall it), so a hung command still times out.
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return ("[GuideShell: output lost: " + e + "]").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Result(-1, "[GuideShell: killed after " + TIMEOUT_MINUTES + " min]");
        }
        try {
            return new Result(p.exitValue(), new String(out.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(p.exitValue(), "[GuideShell: output not read: " + e + "]");
        }
    }
}
