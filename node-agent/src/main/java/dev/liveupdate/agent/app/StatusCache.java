package dev.liveupdate.agent.app;

import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a copy of every status the agent reports in its host state dir ({@value #FILE}), written before the status goes
 * to the API server, so a new agent process can start its engine from it without asking the API server first (restore
 * first). The copy is never older than what the API server holds: this agent is the only writer of the status. A copy
 * that could not be written is deleted, so a stale one is never used. The write acknowledged before the kexec is
 * fsynced (the kexec does no clean shutdown); the others only renamed into place.
 */
final class StatusCache implements StatusSink {
    private static final Logger LOG = Logger.getLogger(StatusCache.class.getName());
    static final String FILE = "last-status.json";

    private final Path file;
    private final StatusSink delegate;

    StatusCache(Path stateDir, StatusSink delegate) {
        this.file = stateDir.resolve(FILE);
        this.delegate = delegate;
    }

    /** The last status a previous agent process reported on this host, if it left a readable one. */
    static Optional<LiveUpdateNodeStatus> read(Path stateDir) {
        Path f = stateDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Serialization.unmarshal(Files.readString(f), LiveUpdateNodeStatus.class));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring the unreadable status copy " + f + "; the agent waits for the API server's copy instead", e);
            return Optional.empty();
        }
    }

    @Override
    public void publish(LiveUpdateNodeStatus status) {
        save(status, false);
        delegate.publish(status);
    }

    @Override
    public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
        save(status, true);
        delegate.publishAndWait(status);
    }

    private void save(LiveUpdateNodeStatus status, boolean durable) {
        Path tmp = file.resolveSibling("." + FILE + ".tmp");
        try {
            Files.writeString(tmp, Serialization.asJson(status), StandardCharsets.UTF_8);
            if (durable) {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (durable) {
                try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot keep the status copy " + file + "; deleting it so no stale copy is used", e);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Nothing more to do: read() also ignores an unreadable copy.
            }
        }
    }
}
