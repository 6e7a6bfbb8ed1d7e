package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCacheTest {
    @TempDir
    Path dir;

    private final List<LiveUpdateNodeStatus> passedOn = new ArrayList<>();
    private final StatusSink api = new StatusSink() {
        @Override
        public void publish(LiveUpdateNodeStatus status) {
            passedOn.add(status);
        }

        @Override
        public void publishAndWait(LiveUpdateNodeStatus status) {
            passedOn.add(status);
        }
    };

    private static LiveUpdateNodeStatus rebooting(String planUid) {
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(NodePhase.Rebooting);
        PlanReference p = new PlanReference();
        p.setName("kernel-7-3");
        p.setUid(planUid);
        s.setPlan(p);
        return s;
    }

    @Test
    void theNextProcessReadsTheLastStatusThisOneReported() throws Exception {
        StatusCache cache = new StatusCache(dir, api);
        cache.publish(new LiveUpdateNodeStatus());
        cache.publishAndWait(rebooting("uid-1"));

        LiveUpdateNodeStatus read = StatusCache.read(dir).orElseThrow();
        assertThat(read.getPhase()).isEqualTo(NodePhase.Rebooting);
        assertThat(read.getPlan().getUid()).isEqualTo("uid-1");
        assertThat(passedOn).hasSize(2);
    }

    @Test
    void nothingKeptOrAnUnreadableCopyMeansNoCopy() throws Exception {
        assertThat(StatusCache.read(dir)).isEmpty();
        Files.writeString(dir.resolve(StatusCache.FILE), "{not json");
        assertThat(StatusCache.read(dir)).isEmpty();
    }

    @Test
    void aCopyThatCannotBeWrittenIsDeletedSoNoStaleOneIsUsed() throws Exception {
        StatusCache cache = new StatusCache(dir, api);
        cache.publish(rebooting("uid-1"));
        // The temp file's name taken by a directory: the next write fails.
        Files.createDirectory(dir.resolve("." + StatusCache.FILE + ".tmp"));

        cache.publish(rebooting("uid-2"));

        assertThat(StatusCache.read(dir)).isEmpty();
        assertThat(passedOn).hasSize(2);
    }
}
