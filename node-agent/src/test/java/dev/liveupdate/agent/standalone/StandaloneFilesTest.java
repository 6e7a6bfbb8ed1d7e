package dev.liveupdate.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone mode's two files: the instruction read from a LiveUpdateNode document, the status written atomically. */
class StandaloneFilesTest {
    @TempDir
    Path dir;

    record Fed(LiveUpdateNodeSpec spec, Long generation) {}

    private static String lun(String step, String extraMetadata) {
        return """
                apiVersion: liveupdate.dev/v1alpha1
                kind: LiveUpdateNode
                metadata:
                  name: node-1
                %s
                spec:
                  nodeName: node-1
                  instruction:
                    plan: {name: p, uid: u-1, generation: 3}
                    step: %s
                    kernel: {release: 7.2.13, image: /boot/vmlinuz}
                    sessions: [{name: vm}]
                """.formatted(extraMetadata, step);
    }

    @Test
    void instructionFileFeedsEveryChangeOnceAndAMissingFileMeansNoInstruction() throws Exception {
        Path file = dir.resolve("lun.yaml");
        List<Fed> fed = new ArrayList<>();
        InstructionFile f = new InstructionFile(file, "node-1", (spec, gen) -> fed.add(new Fed(spec, gen)));
        assertThat(f.poll()).isTrue();
        assertThat(fed).containsExactly(new Fed(null, null));
        assertThat(f.isWatching()).isTrue();
        assertThat(f.poll()).as("no change, nothing fed").isFalse();

        Files.writeString(file, lun("Prepared", ""));
        assertThat(f.poll()).isTrue();
        assertThat(fed.get(1).spec().getInstruction().getStep()).isEqualTo(NodeStep.Prepared);
        assertThat(fed.get(1).spec().getInstruction().getSessions()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("vm"));
        assertThat(fed.get(1).generation()).as("no metadata.generation: a change counter").isEqualTo(1L);
        assertThat(f.poll()).isFalse();

        Files.writeString(file, lun("Rebooted", "  generation: 7"));
        assertThat(f.poll()).isTrue();
        assertThat(fed.get(2).spec().getInstruction().getStep()).isEqualTo(NodeStep.Rebooted);
        assertThat(fed.get(2).generation()).isEqualTo(7L);

        Files.writeString(file, "{ this is not a LiveUpdateNode");
        assertThat(f.poll()).as("unparsable: ignored, the last spec stays").isFalse();
        assertThat(fed).hasSize(3);

        Files.writeString(file, "{\"apiVersion\":\"liveupdate.dev/v1alpha1\",\"kind\":\"LiveUpdateNode\",\"metadata\":{\"name\":\"node-1\"},"
                + "\"spec\":{\"nodeName\":\"node-1\"}}");
        assertThat(f.poll()).as("JSON works too").isTrue();
        assertThat(fed.get(3).spec().getInstruction()).isNull();

        Files.delete(file);
        assertThat(f.poll()).isTrue();
        assertThat(fed.get(4)).isEqualTo(new Fed(null, null));
        f.close();
    }

    @Test
    void statusFileIsALiveUpdateNodeDocumentReadBackForRecovery() throws Exception {
        Path file = dir.resolve("state/status.json");
        StatusFile sink = new StatusFile(file, "node-1");
        assertThat(sink.last()).isNull();
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(NodePhase.Prepared);
        s.setMessage("prepared");
        sink.publish(s);
        s.setPhase(NodePhase.Rebooting);
        sink.publishAndWait(s);
        String json = Files.readString(file);
        assertThat(json).contains("\"kind\":\"LiveUpdateNode\"", "\"name\":\"node-1\"", "\"phase\":\"Rebooting\"");
        assertThat(new StatusFile(file, "node-1").last().getPhase()).isEqualTo(NodePhase.Rebooting);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temp file left").containsExactly(file);
        }
    }
}
