package dev.liveupdate.agent.staging;

import dev.liveupdate.agent.engine.StagingPort;
import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's kernel staging: downloads the wanted artifacts one at a time on its own thread (never the engine's, and
 * never touching the node's running state), retries a failed one after the retry interval, and reports each wanted
 * artifact's state. Garbage collection after every change of what is wanted: files in the staging directory named by
 * a SHA-256 (and their partial downloads) that are neither wanted nor among the last {@link #KEEP_LOADED} loads (the
 * running kernel's and the previous one's) are deleted; nothing else there is touched.
 */
public final class KernelStaging implements StagingPort, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelStaging.class.getName());
    /** Loads remembered for the garbage collection: the running kernel and the one before. */
    static final int KEEP_LOADED = 2;
    /** status.staging holds at most this many entries (the CRD's bound): wanted ones first. */
    static final int MAX_REPORTED = 16;

    private final StagingSettings settings;
    private final KernelDownloader downloader;
    private final LoadedKernels loadedKernels;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kernel-staging");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    /** Wanted artifacts by SHA-256, in the order asked. */
    private Map<String, StageRequest> wanted = Map.of();
    private final Map<String, StagedArtifact> states = new HashMap<>();
    private final Map<String, Instant> retryAt = new HashMap<>();
    /** False until the first request: the garbage collection runs once even when nothing is ever wanted. */
    private boolean requested;

    public KernelStaging(StagingSettings settings, Path stateDir, Clock clock) {
        this.settings = settings;
        this.downloader = new KernelDownloader(settings);
        this.loadedKernels = new LoadedKernels(stateDir.resolve("staged-loaded.txt"), KEEP_LOADED);
        this.clock = clock;
    }

    @Override
    public void request(List<StageRequest> requests) {
        Map<String, StageRequest> next = new LinkedHashMap<>();
        for (StageRequest r : requests) {
            if (r != null && r.getSha256() != null) {
                next.putIfAbsent(r.getSha256(), r);
            }
        }
        synchronized (lock) {
            if (requested && next.equals(wanted)) {
                return;
            }
            // A changed request (another URL for the same bytes) gets a fresh try.
            next.forEach((sha, r) -> {
                if (!r.equals(wanted.get(sha)) && states.containsKey(sha) && states.get(sha).getState() == StagingState.Failed) {
                    states.remove(sha);
                    retryAt.remove(sha);
                }
            });
            wanted = next;
            requested = true;
            states.keySet().retainAll(next.keySet());
            retryAt.keySet().retainAll(next.keySet());
        }
        worker.execute(this::collectGarbage);
        worker.execute(this::work);
    }

    /**
     * The wanted artifacts that started, then the staged kernels kept because they were loaded last (the running and
     * the previous kernel), while their file is there: what a person sees staged on the node.
     */
    @Override
    public List<StagedArtifact> report() {
        List<StagedArtifact> out = new ArrayList<>();
        synchronized (lock) {
            for (String sha : wanted.keySet()) {
                StagedArtifact s = states.get(sha);
                if (s != null) {
                    out.add(copy(s));
                }
            }
        }
        Set<String> listed = new HashSet<>();
        out.forEach(a -> listed.add(a.getSha256()));
        for (String sha : new java.util.TreeSet<>(loadedKernels.recent())) {
            Path f = downloader.staged(sha);
            if (listed.add(sha) && Files.isRegularFile(f)) {
                try {
                    out.add(new StagedArtifact(sha, StagingState.Staged, Files.size(f), null, "kept: a recently loaded kernel"));
                } catch (IOException e) {
                    // gone meanwhile: not staged
                }
            }
        }
        return out.size() > MAX_REPORTED ? List.copyOf(out.subList(0, MAX_REPORTED)) : out;
    }

    @Override
    public Optional<StagedArtifact> state(String sha256) {
        synchronized (lock) {
            return Optional.ofNullable(states.get(sha256)).map(KernelStaging::copy);
        }
    }

    @Override
    public void loaded(List<String> sha256s) {
        worker.execute(() -> loadedKernels.add(sha256s));
    }

    /** Stages the wanted artifacts that are due, one at a time (on the worker thread). */
    private void work() {
        StageRequest due;
        while ((due = nextDue()) != null) {
            StageRequest next = due;
            String sha = next.getSha256();
            try {
                long size = downloader.stage(next, from -> set(sha, new StagedArtifact(sha, StagingState.Downloading, from, null,
                        "downloading " + next.getUrl())));
                set(sha, new StagedArtifact(sha, StagingState.Staged, size, null, "staged from " + next.getUrl()));
                LOG.info(() -> "staged " + sha + " (" + size + " bytes) from " + next.getUrl());
            } catch (StagingFailed e) {
                fail(sha, e.reason(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "staging " + next.getUrl() + " failed", e);
                fail(sha, "StagingError", "staging " + next.getUrl() + " failed: " + e);
            }
        }
    }

    private void fail(String sha, String reason, String message) {
        Long bytes = partSize(sha);
        set(sha, new StagedArtifact(sha, StagingState.Failed, bytes, reason, message + " (next try in "
                + settings.retryInterval().toSeconds() + "s)"));
        synchronized (lock) {
            retryAt.put(sha, clock.instant().plus(settings.retryInterval()));
        }
        LOG.warning(() -> "staging " + sha + " failed: " + reason + ": " + message);
        worker.schedule(this::work, settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The first wanted artifact neither staged nor waiting for its retry. */
    private StageRequest nextDue() {
        Instant now = clock.instant();
        synchronized (lock) {
            for (Map.Entry<String, StageRequest> e : wanted.entrySet()) {
                StagedArtifact s = states.get(e.getKey());
                Instant retry = retryAt.get(e.getKey());
                if ((s == null || s.getState() != StagingState.Staged) && (retry == null || !now.isBefore(retry))) {
                    retryAt.remove(e.getKey());
                    return e.getValue();
                }
            }
            return null;
        }
    }

    private void set(String sha, StagedArtifact s) {
        synchronized (lock) {
            if (wanted.containsKey(sha)) {
                states.put(sha, s);
            }
        }
    }

    private Long partSize(String sha) {
        try {
            Path part = settings.agentDir().resolve(sha + KernelDownloader.PART);
            return Files.isRegularFile(part) ? Files.size(part) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Deletes staged files (and partial downloads) nobody wants and no recent load needs (on the worker thread). */
    void collectGarbage() {
        Set<String> keep = new HashSet<>(loadedKernels.recent());
        synchronized (lock) {
            keep.addAll(wanted.keySet());
        }
        if (!Files.isDirectory(settings.agentDir())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.agentDir())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String sha = name.endsWith(KernelDownloader.PART) ? name.substring(0, name.length() - KernelDownloader.PART.length()) : name;
                if (sha.matches("^[0-9a-f]{64}$") && !keep.contains(sha)) {
                    Files.deleteIfExists(f);
                    LOG.info(() -> "staging: deleted " + name + " (no plan wants it, not the running or previous kernel)");
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "staging: garbage collection in " + settings.agentDir() + " failed", e);
        }
    }

    private static StagedArtifact copy(StagedArtifact s) {
        return new StagedArtifact(s.getSha256(), s.getState(), s.getBytes(), s.getReason(), s.getMessage());
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
