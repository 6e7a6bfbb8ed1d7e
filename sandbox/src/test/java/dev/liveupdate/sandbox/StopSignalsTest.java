package dev.liveupdate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT and SIGTERM run the shutdown hooks (which stop the fleet) even when the JVM inherited them ignored, as a
 * background job of a non-interactive shell does ({@code nohup ... &}: SIGINT ignored).
 */
class StopSignalsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0} with [{1}] ignored at start")
    @CsvSource({
            "INT,  'INT TERM', 130, '[INT, TERM]'",
            "TERM, 'INT TERM', 143, '[INT, TERM]'",
            "INT,  INT,        130, '[INT]'",
            "INT,  '',         130, '[]'",
            "TERM, '',         143, '[]'"})
    void theSignalRunsTheShutdownHooks(String signal, String ignored, int exit, String reclaimed) throws Exception {
        Path log = dir.resolve("probe.log");
        // exec keeps an ignored disposition, as a shell's background job hands it to the sandbox's JVM.
        String ignore = ignored.isBlank() ? "" : "trap '' " + ignored + "; ";
        Process probe = new ProcessBuilder("sh", "-c", ignore + "exec \"$0\" \"$@\"",
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                StopSignalsProbe.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Awaitility.await("the probe is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readString(log).contains("ready"));
            assertThat(Files.readString(log)).contains("reclaimed " + reclaimed);

            kill(signal, probe.pid());
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("SIG" + signal + " ends the JVM; output:\n" + Files.readString(log))
                    .isTrue();
            assertThat(probe.exitValue()).isEqualTo(exit);
            assertThat(Files.readString(log)).contains("shutdown hook ran");
        } finally {
            probe.destroyForcibly();
        }
    }

    private static void kill(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }
}
