package dev.liveupdate.luo.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.luo.Generation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CREATE_SESSION's EMFILE: session fds are real placeholder fds, so a process out of fds gets
 * EMFILE from the simulator as from the kernel (get_unused_fd_flags runs first).
 */
class EmfileTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Generation.class)
    void sessionsStopAtTheFdLimit(Generation g) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "ulimit -n 300 && exec \"$0\" -XX:-MaxFDLimit -cp \"$1\" " + EmfileMain.class.getName() + " \"$2\" \"$3\"";
        Process p = new ProcessBuilder("sh", "-c", script, java, System.getProperty("java.class.path"),
                temp.resolve("m").toString(), g.name()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).containsPattern("FAILED EMFILE AFTER \\d+");
    }
}
