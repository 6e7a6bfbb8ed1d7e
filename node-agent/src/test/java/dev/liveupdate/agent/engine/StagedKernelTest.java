package dev.liveupdate.agent.engine;

import static dev.liveupdate.agent.engine.SimNode.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import dev.liveupdate.luo.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan's URL kernel: the prepare step waits for it to be staged, then loads the staged file (checked again). */
class StagedKernelTest {
    static final String URL = "https://mirror.example.com/kernels/vmlinuz-7.3";

    @TempDir
    Path dir;
    SimNode node;
    FakeStaging staging = new FakeStaging();
    String sha;

    /** Staging as the engine sees it, moved by the test. */
    static final class FakeStaging implements StagingPort {
        final List<List<StageRequest>> requests = new ArrayList<>();
        final Map<String, StagedArtifact> states = new LinkedHashMap<>();
        final List<List<String>> loaded = new ArrayList<>();

        @Override
        public void request(List<StageRequest> wanted) {
            requests.add(List.copyOf(wanted));
        }

        @Override
        public List<StagedArtifact> report() {
            return List.copyOf(states.values());
        }

        @Override
        public Optional<StagedArtifact> state(String sha256) {
            return Optional.ofNullable(states.get(sha256));
        }

        @Override
        public void loaded(List<String> sha256s) {
            loaded.add(sha256s);
        }
    }

    @BeforeEach
    void node() throws Exception {
        node = new SimNode(dir, Generation.B);
        node.stagingDir = Files.createDirectories(dir.resolve("staging"));
        node.staging = staging;
        node.boot();
        sha = SimNode.sha256(node.image);
    }

    private NodeInstruction urlInstruction() {
        NodeInstruction i = node.planInstruction(NodeStep.Prepared, SimNode.session("vm", true, 1, null));
        KernelSpec k = i.getKernel();
        k.setImage(null);
        k.setUrl(URL);
        return i;
    }

    @Test
    void waitsForStagingThenLoadsTheStagedFile() throws Exception {
        node.instruct(NodeStep.Prepared, urlInstruction());
        assertThat(staging.requests.get(staging.requests.size() - 1)).singleElement().satisfies(r -> {
            assertThat(r.getUrl()).isEqualTo(URL);
            assertThat(r.getSha256()).isEqualTo(sha);
            assertThat(r.getPlan()).isEqualTo("kernel-7-3");
        });
        node.engine.preserve(ROOT, "vm", 1, node.memfd(new byte[] {1, 2, 3}));
        LiveUpdateNodeStatus waiting = node.sink.last();
        assertThat(waiting.getPhase()).isEqualTo(NodePhase.Preparing);
        assertThat(waiting.getMessage()).contains("waiting for the kernel to be staged").contains(URL);

        Files.copy(node.image, node.stagingDir.resolve(sha));
        staging.states.put(sha, new StagedArtifact(sha, StagingState.Staged, Files.size(node.image), null, "staged"));
        node.engine.tick();
        LiveUpdateNodeStatus prepared = node.sink.last();
        assertThat(prepared.getPhase()).isEqualTo(NodePhase.Prepared);
        assertThat(prepared.getStaging()).singleElement().extracting(StagedArtifact::getState).isEqualTo(StagingState.Staged);
        assertThat(staging.loaded).containsExactly(List.of(sha));
    }

    @Test
    void aStagedFileWithOtherBytesIsRefusedAtLoad() throws Exception {
        Files.writeString(node.stagingDir.resolve(sha), "not the kernel");
        staging.states.put(sha, new StagedArtifact(sha, StagingState.Staged, 14L, null, "staged"));
        node.instruct(NodeStep.Prepared, urlInstruction());
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("ImageChecksumMismatch");
        assertThat(staging.loaded).isEmpty();
    }

    @Test
    void notStagedWithinThePrepareTimeoutFailsWithTheStagingReason() {
        node.instruct(NodeStep.Prepared, urlInstruction());
        staging.states.put(sha, new StagedArtifact(sha, StagingState.Failed, null, "HttpStatus 404", "answered HTTP 404"));
        node.clock.advance(Duration.ofMinutes(6));
        node.engine.tick();
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("KernelNotStaged");
        assertThat(s.getMessage()).contains("HttpStatus 404");
    }

    @Test
    void aUrlTheAdminDoesNotAllowFailsAtOnce() {
        staging.states.put(sha, new StagedArtifact(sha, StagingState.Failed, null, "KernelSourceNotAllowed", "not under an allowed prefix"));
        node.instruct(NodeStep.Prepared, urlInstruction());
        LiveUpdateNodeStatus s = node.sink.last();
        assertThat(s.getPhase()).isEqualTo(NodePhase.Failed);
        assertThat(s.getReason()).isEqualTo("KernelNotStaged");
        assertThat(s.getMessage()).contains("KernelSourceNotAllowed");
    }

    @Test
    void theOperatorsRequestsAreStagedToo() {
        dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec spec = new dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec();
        spec.setNodeName("node-1");
        spec.setStage(List.of(new StageRequest(URL, sha, null, "next-plan")));
        node.engine.onSpec(spec, 7L);
        assertThat(staging.requests.get(staging.requests.size() - 1)).extracting(StageRequest::getPlan).containsExactly("next-plan");
        assertThat(node.sink.last().getPhase()).isEqualTo(NodePhase.Idle); // staging never changes the running state
    }
}
