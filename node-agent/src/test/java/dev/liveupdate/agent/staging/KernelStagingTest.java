package dev.liveupdate.agent.staging;

import dev.liveupdate.testcluster.HttpsMirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging on its own thread against the local mirror: states as reported, retries, the garbage collection. */
class KernelStagingTest {
    @TempDir
    static Path keys;
    static HttpsMirror mirror;

    @TempDir
    Path root;
    KernelStaging staging;

    static final byte[] KERNEL = KernelDownloaderTest.bytes(50_000, 3);
    static final String SHA = KernelDownloaderTest.sha(KERNEL);

    @BeforeAll
    static void startMirror() throws Exception {
        mirror = new HttpsMirror(keys);
        mirror.serve("/k/kernel", KERNEL);
    }

    @AfterAll
    static void stopMirror() {
        mirror.close();
    }

    @AfterEach
    void stop() {
        if (staging != null) {
            staging.close();
        }
    }

    private Path stagingDir() {
        return root.resolve("kernels");
    }

    private KernelStaging staging(Duration retry) {
        StagingSettings s = new StagingSettings(Path.of("/var/lib/liveupdate/kernels"), stagingDir(), List.of(mirror.httpsUrl("/k/")),
                1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(10), retry, Optional.of(mirror.caBundle));
        staging = new KernelStaging(s, root.resolve("state"), Clock.systemUTC());
        return staging;
    }

    @Test
    void stagesWhatIsRequestedAndReportsIt() {
        KernelStaging st = staging(Duration.ofMinutes(1));
        st.request(List.of(new StageRequest(mirror.httpsUrl("/k/kernel"), SHA, null, "plan-a")));
        await().atMost(Duration.ofSeconds(30)).until(() -> st.state(SHA).map(StagedArtifact::getState).orElse(null) == StagingState.Staged);
        assertThat(st.report()).singleElement().satisfies(a -> {
            assertThat(a.getBytes()).isEqualTo(KERNEL.length);
            assertThat(a.getReason()).isNull();
        });
        assertThat(stagingDir().resolve(SHA)).hasSize(KERNEL.length);
    }

    @Test
    void aFailureIsReportedWithItsReasonAndRetried() {
        KernelStaging st = staging(Duration.ofMillis(200));
        String missing = "ab".repeat(32);
        st.request(List.of(new StageRequest(mirror.httpsUrl("/k/nothing-here"), missing, null, "plan-a")));
        await().atMost(Duration.ofSeconds(30)).until(() -> st.state(missing).map(StagedArtifact::getState).orElse(null) == StagingState.Failed);
        assertThat(st.state(missing).orElseThrow().getReason()).isEqualTo("HttpStatus 404");
        long before = mirror.requests.stream().filter(r -> r.path().equals("/k/nothing-here")).count();
        await().atMost(Duration.ofSeconds(30)).until(() -> mirror.requests.stream().filter(r -> r.path().equals("/k/nothing-here")).count() > before);
    }

    @Test
    void garbageCollectionKeepsWhatIsWantedAndTheLastLoads() throws Exception {
        Files.createDirectories(stagingDir());
        String running = "01".repeat(32);
        String previous = "02".repeat(32);
        String old = "03".repeat(32);
        for (String sha : List.of(running, previous, old)) {
            Files.writeString(stagingDir().resolve(sha), sha);
        }
        Files.writeString(stagingDir().resolve(old + ".part"), "half");
        Files.writeString(stagingDir().resolve("README"), "not ours: never touched");
        KernelStaging st = staging(Duration.ofMinutes(1));
        st.loaded(List.of(old));
        st.loaded(List.of(previous));
        st.loaded(List.of(running)); // the last two loads: the running kernel and the previous one
        st.request(List.of(new StageRequest(mirror.httpsUrl("/k/kernel"), SHA, null, "plan-a")));
        await().atMost(Duration.ofSeconds(30)).until(() -> st.state(SHA).map(StagedArtifact::getState).orElse(null) == StagingState.Staged);
        assertThat(stagingDir().resolve(old)).doesNotExist();
        assertThat(stagingDir().resolve(old + ".part")).doesNotExist();
        assertThat(stagingDir().resolve(running)).exists();
        assertThat(stagingDir().resolve(previous)).exists();
        assertThat(stagingDir().resolve("README")).exists();

        st.request(List.of()); // no longer wanted and never loaded: goes
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(stagingDir().resolve(SHA)));
        assertThat(st.report()).as("what is left staged: the kept kernels")
                .extracting(StagedArtifact::getSha256).containsExactlyInAnyOrder(running, previous);
        assertThat(stagingDir().resolve(running)).exists();
    }
}
