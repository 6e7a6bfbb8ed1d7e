package dev.liveupdate.agent.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's files on the host (default /var/lib/liveupdate): what must survive an agent restart
 * and the kexec. Every write is atomic (temp file, fsync, rename, fsync of the directory), because
 * the next thing after some of these writes is reboot(KEXEC), which does no clean shutdown.
 */
public final class LocalState {
    private static final int LEDGER_LIMIT = 50;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;

    public LocalState(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent state dir " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Optional<UpdateRecord> update() {
        return read("update.json", UpdateRecord.class);
    }

    public void saveUpdate(UpdateRecord record) {
        write("update.json", record);
    }

    public void clearUpdate() {
        delete("update.json");
    }

    public Optional<RestoreRecord> restore() {
        return read("restore.json", RestoreRecord.class);
    }

    public void saveRestore(RestoreRecord record) {
        write("restore.json", record);
    }

    public void clearRestore() {
        delete("restore.json");
    }

    public RebootLedger ledger() {
        return read("reboots.json", RebootLedger.class).orElse(new RebootLedger(List.of()));
    }

    /** Appends to the ledger; durable when this returns. */
    public void recordReboot(RebootLedger.Entry entry) {
        List<RebootLedger.Entry> all = new ArrayList<>(ledger().reboots());
        all.add(entry);
        while (all.size() > LEDGER_LIMIT) {
            all.remove(0);
        }
        write("reboots.json", new RebootLedger(all));
    }

    private <T> Optional<T> read(String name, Class<T> type) {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("agent state file " + file + " is unreadable; inspect it before deleting (it may hold the only record of an update in progress)", e);
        }
    }

    private void write(String name, Object value) {
        Path file = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write agent state file " + file, e);
        }
    }

    private void delete(String name) {
        try {
            if (Files.deleteIfExists(dir.resolve(name))) {
                fsyncDir();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete agent state file " + dir.resolve(name), e);
        }
    }

    private void fsyncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
