package dev.liveupdate.agent.standalone;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Standalone mode's replacement for the LiveUpdateNode watch: the node's object (YAML or JSON,
 * only {@code spec.instruction} matters) is read from a local file, polled every tick, and fed to
 * the engine whenever its content changes. A missing file means "no instruction", as a deleted
 * object would. An unparsable file is reported and ignored (the last good spec stays).
 */
public final class InstructionFile implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstructionFile.class.getName());

    private final Path file;
    private final String nodeName;
    private final Consumer consumer;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "instruction-file");
        t.setDaemon(true);
        return t;
    });
    private String lastContent;
    private long changes;
    private volatile boolean synced;

    /** Where a new spec goes: the engine loop's onSpec (spec null = no instruction). */
    @FunctionalInterface
    public interface Consumer {
        void onSpec(LiveUpdateNodeSpec spec, Long generation);
    }

    public InstructionFile(Path file, String nodeName, Consumer consumer) {
        this.file = file;
        this.nodeName = nodeName;
        this.consumer = consumer;
    }

    /** Reads the file once now, then every {@code period}. */
    public void start(Duration period) {
        poll();
        poller.scheduleWithFixedDelay(this::poll, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "standalone: following the instruction in " + file);
    }

    /** The file was read (present or absent) at least once. */
    public boolean isWatching() {
        return synced;
    }

    /** Reads the file and passes a changed spec on; returns whether something was passed on. */
    boolean poll() {
        try {
            String text = Files.exists(file) ? Files.readString(file) : null;
            if (synced && Objects.equals(text, lastContent)) {
                return false;
            }
            if (text == null) {
                lastContent = null;
                synced = true;
                LOG.info(() -> "standalone: " + file + " does not exist: no instruction");
                consumer.onSpec(null, null);
                return true;
            }
            LiveUpdateNode lun = serialization.unmarshal(text, LiveUpdateNode.class);
            lastContent = text;
            changes++;
            Long generation = lun.getMetadata() != null && lun.getMetadata().getGeneration() != null
                    ? lun.getMetadata().getGeneration() : Long.valueOf(changes);
            if (lun.getSpec() != null && lun.getSpec().getNodeName() != null && !lun.getSpec().getNodeName().equals(nodeName)) {
                LOG.warning(() -> "standalone: " + file + " is for node " + lun.getSpec().getNodeName() + ", this agent is " + nodeName);
            }
            synced = true;
            var i = lun.getSpec() == null ? null : lun.getSpec().getInstruction();
            LOG.info(() -> "standalone: instruction " + (i == null ? "none" : i.getStep() + " for plan " + i.getPlan().getName())
                    + " (generation " + generation + ")");
            consumer.onSpec(lun.getSpec(), generation);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "standalone: cannot read the instruction file " + file + "; keeping the last one: " + e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
