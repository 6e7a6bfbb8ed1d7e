package dev.liveupdate.agent.standalone;

import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Standalone mode's status "subresource": the agent's report is written as a LiveUpdateNode JSON
 * document (metadata.name and status) to a local file, replaced atomically (temp file, fsync,
 * rename, fsync of the directory). A write that returned is durable, which is what {@link
 * #publishAndWait} promises before a reboot, as the API server's acknowledgement does in cluster
 * mode.
 */
public final class StatusFile implements StatusSink {
    private static final Logger LOG = Logger.getLogger(StatusFile.class.getName());

    private final Path file;
    private final String nodeName;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public StatusFile(Path file, String nodeName) {
        this.file = file;
        this.nodeName = nodeName;
    }

    /** The status a previous agent process left in the file (for recovery), or null. */
    public LiveUpdateNodeStatus last() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            LiveUpdateNode lun = serialization.unmarshal(Files.readString(file), LiveUpdateNode.class);
            return lun.getStatus();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "standalone: cannot read the last status from " + file + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public synchronized void publish(LiveUpdateNodeStatus status) {
        try {
            write(status);
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "standalone: status write to " + file + " failed: " + e.getMessage());
        }
    }

    @Override
    public synchronized void publishAndWait(LiveUpdateNodeStatus status) {
        write(status);
    }

    private void write(LiveUpdateNodeStatus status) {
        LiveUpdateNode lun = new LiveUpdateNode();
        lun.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
        lun.setStatus(status);
        byte[] json = serialization.asJson(lun).getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(json));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some filesystems cannot fsync a directory; the rename is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
