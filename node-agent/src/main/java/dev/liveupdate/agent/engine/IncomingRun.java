package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.LuoState;
import dev.liveupdate.luo.sys.ErrnoException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The new boot's side of an update (protocol steps 5 and 7): retrieve the sessions the old
 * kernel handed over, serve their files back to workloads, decide when each session is restored
 * (or its timeout expired), and FINISH only when invariant 3 allows it.
 */
final class IncomingRun {
    private static final Logger LOG = Logger.getLogger(IncomingRun.class.getName());
    static final Duration DEFAULT_RESTORE_TIMEOUT = Duration.ofMinutes(10);

    private final EngineContext ctx;
    final UpdateRecord record;
    final PlanReference plan;
    /** When this boot's agent first reopened the device: the restore timeouts count from here. */
    final Instant startedAt;
    NodePhase phase = NodePhase.Restoring;
    Failure failure;
    Instant restoredAt;
    /** This process's steps of the blackout (status.blackout), null until they happen in this process. */
    Instant retrievedAt;
    Instant firstTakenAt;
    Instant lastTakenAt;
    final Map<String, LuoSession> sessions = new LinkedHashMap<>();
    /** Sessions (or single tokens, "vm/3") whose content is gone, with why. */
    final Map<String, String> lost = new LinkedHashMap<>();
    final Set<String> discarded = new LinkedHashSet<>();
    /** The failure a person's discard request ended by FINISH (null unless that happened). */
    Failure discardedAfter;
    private RestoreRecord progress;

    IncomingRun(EngineContext ctx, UpdateRecord record, RestoreRecord progress) {
        this.ctx = ctx;
        this.record = record;
        this.plan = planOf(record);
        this.progress = progress != null ? progress
                : new RestoreRecord(record.planUid(), ctx.bootId, Times.now(ctx.clock), null, List.of(), Map.of(), null);
        this.startedAt = Times.parse(this.progress.deviceReopenedAt());
        if (this.progress.sessionsRestoredAt() != null) {
            restoredAt = Times.parse(this.progress.sessionsRestoredAt());
        }
        ctx.local.saveRestore(this.progress);
    }

    static PlanReference planOf(UpdateRecord r) {
        PlanReference p = new PlanReference();
        p.setName(r.planName());
        p.setUid(r.planUid());
        p.setGeneration(r.planGeneration());
        return p;
    }

    String deviceReopenedAt() {
        return progress.deviceReopenedAt();
    }

    boolean finishIssued() {
        return progress.finishIssuedAt() != null;
    }

    /** Takes every session and file the old kernel handed over. Sessions that cannot be had are recorded as lost, with why. */
    void retrieveAll() {
        LuoDevice device = ctx.device.device();
        if (device == null) {
            for (UpdateRecord.SessionRecord s : record.sessions()) {
                lose(s, "/dev/liveupdate is not available in the new kernel: " + ctx.device.problem());
            }
            return;
        }
        if (finishIssued()) {
            // An earlier agent process of this boot already finished; the kernel has nothing left to hand out.
            return;
        }
        if (device.generation() == Generation.A && device.state() != LuoState.UPDATED) {
            if (!progress.retrievedSessions().isEmpty()) {
                // An earlier process of this boot retrieved sessions, so the device was UPDATED; only FINISH leaves UPDATED.
                // That process finished and died before it could record it (finish() records after the kernel call).
                LOG.info(() -> "the device is " + device.state() + " after this boot's agent retrieved " + progress.retrievedSessions()
                        + ": an earlier agent process of this boot sent FINISH");
                recordFinish();
                return;
            }
            for (UpdateRecord.SessionRecord s : record.sessions()) {
                lose(s, "the device is " + device.state() + ", not UPDATED: this boot did not come through the live update hand-over");
            }
            return;
        }
        for (UpdateRecord.SessionRecord s : record.sessions()) {
            retrieve(device, s);
        }
        retrievedAt = ctx.clock.instant();
    }

    private void retrieve(LuoDevice device, UpdateRecord.SessionRecord s) {
        if (progress.retrievedSessions().contains(s.name())) {
            // Retrieved by an earlier agent process of this boot; its fds died with it.
            loseUnreclaimed(s);
            return;
        }
        LuoSession session;
        try {
            session = device.retrieveSession(s.name());
        } catch (ErrnoException e) {
            lose(s, "RETRIEVE_SESSION failed: " + e.getMessage());
            return;
        }
        sessions.put(s.name(), session);
        for (Long token : s.tokens()) {
            try {
                int fd = session.retrieve(token);
                HeldFile f = new HeldFile(s.name(), token, fd, s.ownerOf(token), -1, FileState.Restorable);
                f.detail = "restored from the previous kernel, waiting for its workload";
                ctx.files.put(f);
            } catch (ErrnoException e) {
                HeldFile f = new HeldFile(s.name(), token, -1, s.ownerOf(token), -1, FileState.Lost);
                f.detail = "RESTORE/RETRIEVE_FD failed: " + e.getMessage();
                ctx.files.put(f);
                lost.put(s.name() + "/" + Long.toUnsignedString(token), f.detail);
            }
        }
        List<String> retrieved = new ArrayList<>(progress.retrievedSessions());
        retrieved.add(s.name());
        saveProgress(retrieved, progress.restoredTokens(), progress.sessionsRestoredAt(), progress.finishIssuedAt());
    }

    private void lose(UpdateRecord.SessionRecord s, String why) {
        lost.put(s.name(), why);
        for (Long token : s.tokens()) {
            HeldFile f = new HeldFile(s.name(), token, -1, s.ownerOf(token), -1, FileState.Lost);
            f.detail = why;
            ctx.files.put(f);
        }
    }

    /** After an agent restart: what workloads took back is safe with them; the rest died with the old process. */
    private void loseUnreclaimed(UpdateRecord.SessionRecord s) {
        List<Long> restored = progress.restoredTokens().getOrDefault(s.name(), List.of());
        List<String> gone = new ArrayList<>();
        for (Long token : s.tokens()) {
            HeldFile f;
            if (restored.contains(token)) {
                f = new HeldFile(s.name(), token, -1, s.ownerOf(token), -1, FileState.Restored);
                f.detail = "handed back to its workload before an agent restart";
            } else {
                f = new HeldFile(s.name(), token, -1, s.ownerOf(token), -1, FileState.Lost);
                f.detail = "the agent process that retrieved it died before its workload took it back";
                gone.add(Long.toUnsignedString(token));
            }
            ctx.files.put(f);
        }
        if (!gone.isEmpty()) {
            lost.put(s.name(), "tokens " + String.join(",", gone) + " died with an earlier agent process of this boot");
        }
    }

    /** A workload took a file back (or declined it): remember it on disk, it is what AllTokensReclaimed counts. */
    void onHandedBack(HeldFile f) {
        f.state = FileState.Restored;
        f.detail = "handed back to a workload";
        lastTakenAt = ctx.clock.instant();
        if (firstTakenAt == null) {
            firstTakenAt = lastTakenAt;
        }
        Map<String, List<Long>> restored = new HashMap<>(progress.restoredTokens());
        List<Long> tokens = new ArrayList<>(restored.getOrDefault(f.session, List.of()));
        if (!tokens.contains(f.token)) {
            tokens.add(f.token);
            restored.put(f.session, tokens);
            saveProgress(progress.retrievedSessions(), restored, progress.sessionsRestoredAt(), progress.finishIssuedAt());
        }
    }

    /** Applies the restore rules and timeouts: Restoring -> Updated, or Failed. */
    void evaluate() {
        if (phase != NodePhase.Restoring) {
            return;
        }
        Instant now = ctx.clock.instant();
        List<String> waiting = new ArrayList<>();
        List<String> timedOut = new ArrayList<>();
        List<String> lostRequired = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : record.sessions()) {
            if (!s.required() || discarded.contains(s.name())) {
                continue;
            }
            if (ruleHolds(s)) {
                continue;
            }
            if (lostSession(s)) {
                lostRequired.add(s.name() + ": " + lost.getOrDefault(s.name(), "files lost"));
                continue;
            }
            Duration timeout = Durations.parse(s.timeout(), DEFAULT_RESTORE_TIMEOUT);
            if (now.isAfter(startedAt.plus(timeout))) {
                if ("Discard".equals(s.onTimeout())) {
                    discarded.add(s.name());
                    LOG.warning(() -> "session " + s.name() + " not restored within " + timeout + "; the plan says Discard: its unreclaimed files will be dropped at FINISH");
                } else {
                    timedOut.add(s.name() + " (" + waitingFor(s) + ", timeout " + timeout + ")");
                }
                continue;
            }
            waiting.add(s.name() + " (" + waitingFor(s) + ")");
        }
        if (!lostRequired.isEmpty()) {
            fail("SessionsLost", "required sessions did not survive: " + String.join("; ", lostRequired)
                    + ". FINISH is not sent; whatever the kernel still holds stays until a person decides");
        } else if (!timedOut.isEmpty()) {
            fail("RestoreTimeout", "required sessions were not restored in time: " + String.join("; ", timedOut)
                    + ". FINISH is not sent (onTimeout: Fail); the files stay retrievable through the agent socket");
        } else if (waiting.isEmpty()) {
            phase = NodePhase.Updated;
            if (restoredAt == null) {
                restoredAt = now;
                saveProgress(progress.retrievedSessions(), progress.restoredTokens(), Times.format(now), progress.finishIssuedAt());
            }
        }
    }

    String waitingSummary() {
        List<String> waiting = new ArrayList<>();
        for (UpdateRecord.SessionRecord s : record.sessions()) {
            if (s.required() && !ruleHolds(s) && !discarded.contains(s.name())) {
                waiting.add(s.name() + " (" + waitingFor(s) + ")");
            }
        }
        return waiting.isEmpty() ? "all required sessions restored" : "waiting for " + String.join(", ", waiting);
    }

    private String waitingFor(UpdateRecord.SessionRecord s) {
        return reclaimed(s).size() + " of " + s.tokens().size() + " files reclaimed";
    }

    /**
     * The session's tokens its workloads settled: taken back, or declined (unpreserve of a restored file). Read from the
     * durable progress, not the file table: a declined file leaves the table, and an agent restart rebuilds the table
     * from this record anyway.
     */
    List<Long> reclaimed(UpdateRecord.SessionRecord s) {
        List<Long> settled = progress.restoredTokens().getOrDefault(s.name(), List.of());
        return s.tokens().stream().filter(settled::contains).toList();
    }

    private boolean lostSession(UpdateRecord.SessionRecord s) {
        return lost.containsKey(s.name()) || ctx.files.count(s.name(), FileState.Lost) > 0;
    }

    /** SessionRetrieved: the agent holds the session and all its files. AllTokensReclaimed: every token went back to a workload. */
    boolean ruleHolds(UpdateRecord.SessionRecord s) {
        if ("SessionRetrieved".equals(s.rule())) {
            return (sessions.containsKey(s.name()) || progress.retrievedSessions().contains(s.name())) && !lostSession(s);
        }
        return reclaimed(s).size() == s.tokens().size();
    }

    /** Invariant 3: every required session restored, or its timeout expired and the plan allows discarding. */
    boolean finishAllowed() {
        if (phase != NodePhase.Updated) {
            return false;
        }
        for (UpdateRecord.SessionRecord s : record.sessions()) {
            if (s.required() && !ruleHolds(s) && !discarded.contains(s.name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * FINISH the way the generation wants it, then record that it was issued.
     *
     * <p>The record comes after the kernel call, never before: a record written first and followed by an errno (or a
     * crash before the call) made a restarted agent report Finished and skip retrieval while the kernel never finished
     * (A: the device stays UPDATED and the next plan fails DeviceNotNormal). In this order the only gap is a crash between
     * a successful FINISH and the record, and the kernel tells a restarted agent what happened (luo-kernel-abi.md): on A
     * only FINISH takes the device out of UPDATED, which {@link #retrieveAll} reads as finished; on B the dead process's
     * session fds closing finished them anyway. A record can thus never claim a FINISH the kernel did not do.
     */
    void finish() {
        if (!finishAllowed()) {
            throw new IllegalStateException("FINISH not allowed: " + waitingSummary());
        }
        LuoDevice device = ctx.device.device();
        if (device != null) {
            if (device.generation() == Generation.A) {
                if (device.state() == LuoState.UPDATED) {
                    device.finish();
                }
            } else {
                for (LuoSession s : sessions.values()) {
                    s.finish();
                }
            }
        }
        recordFinish();
        for (LuoSession s : sessions.values()) {
            s.close();
        }
        sessions.clear();
        // Workloads hold their own fds now; drop the agent's copies of what they took. Files of
        // SessionRetrieved sessions not yet taken stay held so their workload can still come.
        for (HeldFile f : ctx.files.all()) {
            if (record.sessions().stream().anyMatch(s -> s.name().equals(f.session))) {
                if (f.state == FileState.Restorable && !discarded.contains(f.session)) {
                    continue;
                }
                ctx.closeQuietly(f.fd);
                ctx.files.remove(f.session, f.token);
            }
        }
        phase = NodePhase.Finished;
    }

    /**
     * A person asked to drop what the failed restore left in the kernel: every session counts as discarded, and FINISH
     * releases the kernel's state (generation A: the device goes back to NORMAL, so the next plan can prepare).
     */
    void discardOnRequest() {
        if (phase != NodePhase.Failed) {
            throw new IllegalStateException("discard applies to a failed restore, not to phase " + phase);
        }
        Failure before = failure;
        record.sessions().forEach(s -> discarded.add(s.name()));
        phase = NodePhase.Updated;
        failure = null;
        try {
            finish();
            discardedAfter = before;
        } catch (RuntimeException e) {
            phase = NodePhase.Failed;
            failure = before;
            throw e;
        }
    }

    /** The agent is going away without finishing: close what it holds (the kernel keeps what it must). */
    void closeAll() {
        for (LuoSession s : sessions.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing an incoming session", e);
            }
        }
    }

    Long blackoutMillis() {
        Instant issued = Times.parse(record.rebootIssuedAt());
        return restoredAt == null || issued == null ? null : Duration.between(issued, restoredAt).toMillis();
    }

    void fail(String reason, String message) {
        phase = NodePhase.Failed;
        failure = new Failure(reason, message);
    }

    private void recordFinish() {
        saveProgress(progress.retrievedSessions(), progress.restoredTokens(), progress.sessionsRestoredAt(), Times.now(ctx.clock));
    }

    private void saveProgress(List<String> retrieved, Map<String, List<Long>> restored, String restoredAtText, String finishAt) {
        progress = new RestoreRecord(progress.planUid(), progress.bootID(), progress.deviceReopenedAt(), restoredAtText,
                List.copyOf(retrieved), Map.copyOf(restored), finishAt);
        ctx.local.saveRestore(progress);
    }
}
