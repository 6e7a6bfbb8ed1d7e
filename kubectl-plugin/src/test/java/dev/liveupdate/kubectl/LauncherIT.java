package dev.liveupdate.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.testcluster.SharedTestCluster;
import dev.liveupdate.testcluster.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The executable as kubectl runs it: bin/kubectl-liveupdate (bash, java -jar target/kubectl-liveupdate.jar with
 * target/lib) as a separate process against the real API server, with its CDS archive in target/launcher-cache.
 * Its wall-clock start-up with and without the archive is written to target/launcher-startup.txt (reported in
 * docs/kubectl-plugin.md, not asserted: CI machines differ).
 */
class LauncherIT {
    private static final Path MODULE = Path.of(System.getProperty("liveupdate.repo.root", "..")).resolve("kubectl-plugin");
    private final TestCluster cluster = SharedTestCluster.get();

    record Result(int code, String out, String err, long millis) {
    }

    private static final Path CACHE = MODULE.resolve("target/launcher-cache");

    private Result launch(String... args) throws IOException, InterruptedException {
        return launch(false, args);
    }

    private Result launch(boolean noCds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(MODULE.resolve("bin/kubectl-liveupdate").toString(),
                "--kubeconfig", cluster.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("XDG_CACHE_HOME", CACHE.toString());
        if (noCds) {
            pb.environment().put("KUBECTL_LIVEUPDATE_NO_CDS", "1");
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), millis);
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    void theLauncherRunsTheJarWithCleanOutputAndExitCodes() throws Exception {
        LiveUpdate lu = Fixtures.plan("launcher-plan", null);
        lu.getMetadata().setGeneration(null);
        cluster.client().resources(LiveUpdate.class).resource(lu).create();

        deleteCache();
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Result r = launch(true, "status", "launcher-plan");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
            plain.add(r.millis());
        }
        assertThat(CACHE.resolve("kubectl-liveupdate")).doesNotExist();

        Result first = launch("status", "launcher-plan");
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
        try (var archives = Files.list(CACHE.resolve("kubectl-liveupdate"))) {
            assertThat(archives.map(f -> f.getFileName().toString())).singleElement().asString().endsWith(".jsa");
        }
        List<Long> shared = new ArrayList<>();
        Result status = null;
        for (int i = 0; i < 3; i++) {
            status = launch("status", "launcher-plan");
            shared.add(status.millis());
        }
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCodes.OK);
        assertThat(status.out()).contains("Plan       launcher-plan").doesNotContain("\u001b[");
        // stdout is the output and stderr stays empty: no logger or JVM noise, no stack traces.
        assertThat(status.err()).isEmpty();
        assertThat(first.out()).isEqualTo(status.out());

        Result missing = launch("status", "no-such-plan");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("error: LiveUpdate no-such-plan not found (kubectl get lu lists the plans)\n");

        Result usage = launch("frobnicate");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);

        plain.sort(null);
        shared.sort(null);
        Files.writeString(MODULE.resolve("target/launcher-startup.txt"),
                "kubectl-liveupdate status, ms, sorted: without CDS " + plain + ", first run (writes the archive) "
                        + first.millis() + ", with the archive " + shared + System.lineSeparator());
    }

    private static void deleteCache() throws IOException {
        if (Files.exists(CACHE)) {
            try (var files = Files.walk(CACHE)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
