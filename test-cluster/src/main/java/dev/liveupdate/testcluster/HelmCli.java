package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pinned helm binary (lint, template) with its config/cache/data homes in a private directory, so tests
 * never read or write the user's helm setup.
 */
public final class HelmCli {
    private final Path helm;
    private final Path home;

    public HelmCli(Path helm, Path home) {
        this.helm = helm;
        this.home = home;
    }

    /** Uses the binaries found by {@link ControlPlaneBinaries#locate()}; the private home is a temp directory. */
    public static HelmCli locate() {
        try {
            return new HelmCli(ControlPlaneBinaries.locate().helm(), Files.createTempDirectory("liveupdate-helm-home-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private HELM_*_HOME directory. */
    public Path home() {
        return home;
    }

    /** Exit code and output of one helm invocation. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stdout, or an exception carrying stderr. */
        public String orThrow(List<String> args) {
            if (!ok()) {
                throw new IllegalStateException("helm " + String.join(" ", args) + " failed (exit " + exitCode + "):\n" + stderr + stdout);
            }
            return stdout;
        }
    }

    /** Runs helm with these arguments (two-minute limit). */
    public Result run(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(helm.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
        env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
        env.put("HELM_DATA_HOME", home.resolve("data").toString());
        env.remove("KUBECONFIG");
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("helm " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + helm, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `helm lint --strict` of a chart directory. */
    public Result lint(Path chart, Map<String, String> values) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", chart.toString()));
        values.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return run(args);
    }

    /** `helm template` with --set values; returns the result (check {@link Result#ok()} for rejected values). */
    public Result template(Path chart, String release, String namespace, Map<String, String> values, boolean includeCrds) {
        List<String> args = new ArrayList<>(List.of("template", release, chart.toString(), "--namespace", namespace));
        if (includeCrds) {
            args.add("--include-crds");
        }
        values.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return run(args);
    }

    /** The rendered manifests, or an exception with helm's error. */
    public String render(Path chart, String release, String namespace, Map<String, String> values, boolean includeCrds) {
        List<String> args = List.of("template", release, chart.toString());
        return template(chart, release, namespace, values, includeCrds).orThrow(args);
    }
}
