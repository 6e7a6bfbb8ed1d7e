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
 * target/lib) as a separate process against the real API server. Its wall-clock start-up is written to
 * target/launcher-startup.txt (reported in docs/kubectl-plugin.md, not asserted: CI machines differ).
 */
class LauncherIT {
    private static final Path MODULE = Path.of(System.getProperty("liveupdate.repo.root", "..")).resolve("kubectl-plugin");
    private final TestCluster cluster = SharedTestCluster.get();

    record Result(int code, String out, String err, long millis) {
    }

    private Result launch(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(MODULE.resolve("bin/kubectl-liveupdate").toString(),
                "--kubeconfig", cluster.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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

        List<Long> times = new ArrayList<>();
        Result status = null;
        for (int i = 0; i < 3; i++) {
            status = launch("status", "launcher-plan");
            times.add(status.millis());
        }
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCodes.OK);
        assertThat(status.out()).contains("Plan       launcher-plan").doesNotContain("\u001b[");
        // stdout is the output and stderr stays empty: no logger noise, no stack traces.
        assertThat(status.err()).isEmpty();

        Result missing = launch("status", "no-such-plan");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("error: LiveUpdate no-such-plan not found (kubectl get lu lists the plans)\n");

        Result usage = launch("frobnicate");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);

        times.sort(null);
        Files.writeString(MODULE.resolve("target/launcher-startup.txt"),
                "kubectl-liveupdate status (3 runs, ms, sorted): " + times + System.lineSeparator());
    }
}
