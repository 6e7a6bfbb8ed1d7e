package dev.liveupdate.agent.staging;

import dev.liveupdate.testcluster.HttpsMirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.liveupdate.api.v1alpha1.StageRequest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local HTTPS mirror (and a plain-HTTP one), trusted through the CA-bundle setting. */
class KernelDownloaderTest {
    @TempDir
    static Path keys;
    static HttpsMirror mirror;

    @TempDir
    Path staging;

    static final byte[] KERNEL = bytes(100_000, 1);
    static final String KERNEL_SHA = sha(KERNEL);

    @BeforeAll
    static void startMirror() throws Exception {
        mirror = new HttpsMirror(keys);
    }

    @AfterAll
    static void stopMirror() {
        mirror.close();
    }

    private StagingSettings settings(long maxBytes, Duration stall) {
        return new StagingSettings(Path.of("/var/lib/liveupdate/kernels"), staging, List.of(mirror.httpsUrl("/k/"), mirror.httpUrl("/k/")),
                maxBytes, Duration.ofSeconds(10), stall, Duration.ofSeconds(30), Optional.of(mirror.caBundle));
    }

    private KernelDownloader downloader() {
        return new KernelDownloader(settings(1 << 20, Duration.ofSeconds(30)));
    }

    private static StageRequest request(String url, String sha) {
        return new StageRequest(url, sha, null, "plan-a");
    }

    @Test
    void stagesTheVerifiedBytesUnderTheirChecksum() throws Exception {
        mirror.serve("/k/ok", KERNEL);
        long size = downloader().stage(request(mirror.httpsUrl("/k/ok"), KERNEL_SHA), at -> { });
        assertThat(size).isEqualTo(KERNEL.length);
        assertThat(Files.readAllBytes(staging.resolve(KERNEL_SHA))).isEqualTo(KERNEL);
        assertThat(staging.resolve(KERNEL_SHA + ".part")).doesNotExist();
    }

    @Test
    void wrongChecksumStagesNothing() {
        mirror.serve("/k/other", bytes(5000, 2));
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpsUrl("/k/other"), KERNEL_SHA), at -> { }))
                .isInstanceOf(StagingFailed.class).extracting(e -> ((StagingFailed) e).reason()).isEqualTo("ChecksumMismatch");
        assertThat(staging.resolve(KERNEL_SHA)).doesNotExist();
        assertThat(staging.resolve(KERNEL_SHA + ".part")).doesNotExist();
    }

    @Test
    void aTruncatedBodyIsKeptForResumeAndNeverStaged() {
        mirror.on("/k/cut", ex -> cut(ex, KERNEL, 40_000));
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpsUrl("/k/cut"), KERNEL_SHA), at -> { }))
                .isInstanceOf(StagingFailed.class).extracting(e -> ((StagingFailed) e).reason()).isEqualTo("Truncated");
        assertThat(staging.resolve(KERNEL_SHA)).doesNotExist();
        assertThat(staging.resolve(KERNEL_SHA + ".part")).hasSize(40_000);
    }

    @Test
    void aCutDownloadResumesWithARangeRequest() throws Exception {
        String path = "/k/resume";
        mirror.on(path, ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range == null) {
                cut(ex, KERNEL, 30_000);
                return;
            }
            int from = Integer.parseInt(range.replaceAll("^bytes=(\\d+)-$", "$1"));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (KERNEL.length - 1) + "/" + KERNEL.length);
            ex.sendResponseHeaders(206, KERNEL.length - from);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(KERNEL, from, KERNEL.length - from);
            }
        });
        KernelDownloader d = downloader();
        StageRequest r = request(mirror.httpsUrl(path), KERNEL_SHA);
        assertThatThrownBy(() -> d.stage(r, at -> { })).extracting(e -> ((StagingFailed) e).reason()).isEqualTo("Truncated");
        List<Long> startedAt = new ArrayList<>();
        d.stage(r, startedAt::add);
        assertThat(startedAt).containsExactly(30_000L);
        assertThat(mirror.requests).contains(new HttpsMirror.Request(path, "bytes=30000-"));
        assertThat(Files.readAllBytes(staging.resolve(KERNEL_SHA))).isEqualTo(KERNEL);
    }

    @Test
    void aServerIgnoringTheRangeIsDownloadedFromTheStart() throws Exception {
        Files.write(staging.resolve(KERNEL_SHA + ".part"), bytes(20_000, 9)); // left over, and not even the right bytes
        mirror.serve("/k/norange", KERNEL);
        List<Long> startedAt = new ArrayList<>();
        downloader().stage(request(mirror.httpsUrl("/k/norange"), KERNEL_SHA), startedAt::add);
        assertThat(startedAt).containsExactly(0L);
        assertThat(Files.readAllBytes(staging.resolve(KERNEL_SHA))).isEqualTo(KERNEL);
    }

    @Test
    void aWrongContentRangeStartsOver() throws Exception {
        Files.write(staging.resolve(KERNEL_SHA + ".part"), java.util.Arrays.copyOf(KERNEL, 20_000));
        mirror.on("/k/badrange", ex -> {
            if (ex.getRequestHeaders().getFirst("Range") != null) {
                ex.getResponseHeaders().add("Content-Range", "bytes 0-" + (KERNEL.length - 1) + "/" + KERNEL.length);
                HttpsMirror.send(ex, 206, KERNEL); // the whole file as a 206: appending it would be wrong
            } else {
                HttpsMirror.send(ex, 200, KERNEL);
            }
        });
        downloader().stage(request(mirror.httpsUrl("/k/badrange"), KERNEL_SHA), at -> { });
        assertThat(Files.readAllBytes(staging.resolve(KERNEL_SHA))).isEqualTo(KERNEL);
    }

    @Test
    void aStallingServerIsStalled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        mirror.on("/k/stall", ex -> {
            ex.sendResponseHeaders(200, KERNEL.length);
            OutputStream out = ex.getResponseBody();
            out.write(KERNEL, 0, 1000);
            out.flush();
            try {
                release.await(60, TimeUnit.SECONDS); // never sends the rest while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            KernelDownloader d = new KernelDownloader(settings(1 << 20, Duration.ofMillis(300)));
            assertThatThrownBy(() -> d.stage(request(mirror.httpsUrl("/k/stall"), KERNEL_SHA), at -> { }))
                    .extracting(e -> ((StagingFailed) e).reason()).isEqualTo("Stalled");
            assertThat(staging.resolve(KERNEL_SHA)).doesNotExist();
            assertThat(staging.resolve(KERNEL_SHA + ".part")).hasSize(1000);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRedirectToPlainHttpIsRefused() {
        mirror.on("/k/tohttp", ex -> {
            ex.getResponseHeaders().add("Location", mirror.httpUrl("/k/ok-plain"));
            HttpsMirror.send(ex, 302, new byte[0]);
        });
        mirror.serve("/k/ok-plain", KERNEL);
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpsUrl("/k/tohttp"), KERNEL_SHA), at -> { }))
                .isInstanceOf(StagingFailed.class).satisfies(e -> {
                    assertThat(((StagingFailed) e).reason()).isEqualTo("InsecureRedirect");
                    assertThat(e.getMessage()).contains("kernel.allowPlainHttp");
                });
        assertThat(mirror.requests).noneMatch(r -> r.path().equals("/k/ok-plain"));
        assertThat(staging.resolve(KERNEL_SHA)).doesNotExist();
    }

    @Test
    void anHttpsRedirectIsFollowed() throws Exception {
        mirror.on("/k/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/k/ok2");
            HttpsMirror.send(ex, 301, new byte[0]);
        });
        mirror.serve("/k/ok2", KERNEL);
        downloader().stage(request(mirror.httpsUrl("/k/moved"), KERNEL_SHA), at -> { });
        assertThat(Files.readAllBytes(staging.resolve(KERNEL_SHA))).isEqualTo(KERNEL);
    }

    @Test
    void plainHttpOnlyWhenThePlanAllowsIt() throws Exception {
        mirror.serve("/k/plain", KERNEL);
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpUrl("/k/plain"), KERNEL_SHA), at -> { }))
                .extracting(e -> ((StagingFailed) e).reason()).isEqualTo("InsecureUrl");
        downloader().stage(new StageRequest(mirror.httpUrl("/k/plain"), KERNEL_SHA, true, "plan-a"), at -> { });
        assertThat(staging.resolve(KERNEL_SHA)).hasSize(KERNEL.length);
    }

    @Test
    void tooLargeByItsLengthOrItsBytes() {
        mirror.serve("/k/big", KERNEL);
        mirror.on("/k/big-chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            try (OutputStream out = ex.getResponseBody()) {
                out.write(KERNEL);
            }
        });
        KernelDownloader small = new KernelDownloader(settings(50_000, Duration.ofSeconds(30)));
        for (String path : List.of("/k/big", "/k/big-chunked")) {
            assertThatThrownBy(() -> small.stage(request(mirror.httpsUrl(path), KERNEL_SHA), at -> { }))
                    .extracting(e -> ((StagingFailed) e).reason()).isEqualTo("TooLarge");
            assertThat(staging.resolve(KERNEL_SHA + ".part")).doesNotExist();
        }
    }

    @Test
    void notFoundNamesTheStatus() {
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpsUrl("/k/missing"), KERNEL_SHA), at -> { }))
                .isInstanceOf(StagingFailed.class).satisfies(e -> {
                    assertThat(((StagingFailed) e).reason()).isEqualTo("HttpStatus 404");
                    assertThat(e.getMessage()).contains("HTTP 404");
                });
    }

    @Test
    void aUrlOutsideTheAllowedPrefixesIsNeverFetched() {
        mirror.serve("/elsewhere/k", KERNEL);
        assertThatThrownBy(() -> downloader().stage(request(mirror.httpsUrl("/elsewhere/k"), KERNEL_SHA), at -> { }))
                .extracting(e -> ((StagingFailed) e).reason()).isEqualTo("KernelSourceNotAllowed");
        assertThat(mirror.requests).noneMatch(r -> r.path().equals("/elsewhere/k"));
    }

    @Test
    void noPrefixesMeansNoUrlSource() {
        KernelDownloader off = new KernelDownloader(new StagingSettings(Path.of("/var/lib/liveupdate/kernels"), staging, List.of(),
                1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty()));
        assertThatThrownBy(() -> off.stage(request(mirror.httpsUrl("/k/ok"), KERNEL_SHA), at -> { }))
                .isInstanceOf(StagingFailed.class).satisfies(e -> {
                    assertThat(((StagingFailed) e).reason()).isEqualTo("KernelSourceNotAllowed");
                    assertThat(e.getMessage()).contains("allowedUrlPrefixes");
                });
    }

    @Test
    void aMirrorTheAgentDoesNotTrustFailsTls() {
        mirror.serve("/k/tls", KERNEL);
        KernelDownloader untrusting = new KernelDownloader(new StagingSettings(Path.of("/var/lib/liveupdate/kernels"), staging,
                List.of(mirror.httpsUrl("/k/")), 1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1), Optional.empty()));
        assertThatThrownBy(() -> untrusting.stage(request(mirror.httpsUrl("/k/tls"), KERNEL_SHA), at -> { }))
                .extracting(e -> ((StagingFailed) e).reason()).isEqualTo("TlsFailed");
    }

    /** Announces the whole body but sends only {@code upTo} bytes, then drops the connection. */
    private static void cut(com.sun.net.httpserver.HttpExchange ex, byte[] body, int upTo) throws java.io.IOException {
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, upTo);
        out.flush();
        ex.close(); // fewer bytes than announced: the server closes the connection
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
