package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.agent.handoff.OwnerPresence;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Releases the files of a pod that is gone, once it has been gone for the grace ({@link WorkloadLimits#releaseGrace}),
 * with an Event: a memfd handed over by a pod that was deleted would otherwise stay pinned in the agent for good.
 *
 * <p>The rule keeps everything a live update still needs:
 * <ul>
 *   <li>only positive evidence counts: {@link OwnerPresence.Presence#GONE} (the kubelet removed the pod's directory);
 *       an unknown presence never does, and nor does a host process;</li>
 *   <li>after a kexec the kubelet has not restarted the pods yet, but their directories are still on the host's disk:
 *       they are present, not gone;</li>
 *   <li>files in a kernel session of a plan in progress ({@code Preserved}) stay: they follow the plan (cancel returns
 *       them to {@code Held}; then they are released);</li>
 *   <li>files of a restore that has not finished stay: the plan's restore rule, its timeout and a person's
 *       {@code discard-unrestored} decide about them (invariants 3 and 7), not this timer;</li>
 *   <li>the clock is this process's: an agent restart starts the grace over, which only keeps files longer.</li>
 * </ul>
 */
final class GoneOwners {
    private static final Logger LOG = Logger.getLogger(GoneOwners.class.getName());
    static final String EVENT_REASON = "WorkloadFilesReleased";

    private final EngineContext ctx;
    private final ProcessState state;
    private final OwnerPresence presence;
    private final Duration grace;
    private final EventSink events;
    private final Map<Owner, Instant> goneSince = new HashMap<>();

    GoneOwners(EngineContext ctx, ProcessState state, OwnerPresence presence, Duration grace, EventSink events) {
        this.ctx = ctx;
        this.state = state;
        this.presence = presence;
        this.grace = grace;
        this.events = events;
    }

    /** One look at every pod owner of releasable files; releases those gone for the grace. */
    void sweep() {
        Map<Owner, List<HeldFile>> releasable = new LinkedHashMap<>();
        for (HeldFile f : ctx.files.all()) {
            if (f.owner.isPod() && releasable(f)) {
                releasable.computeIfAbsent(f.owner, o -> new ArrayList<>()).add(f);
            }
        }
        goneSince.keySet().retainAll(releasable.keySet());
        Instant now = ctx.clock.instant();
        releasable.forEach((owner, files) -> {
            if (presence.of(owner) != OwnerPresence.Presence.GONE) {
                goneSince.remove(owner);
                return;
            }
            Instant since = goneSince.computeIfAbsent(owner, o -> now);
            if (!now.isBefore(since.plus(grace))) {
                release(owner, files, since);
                goneSince.remove(owner);
            }
        });
    }

    private boolean releasable(HeldFile f) {
        if (f.state == FileState.Preserved) {
            return false;
        }
        IncomingRun incoming = state.incoming;
        return incoming == null || incoming.phase == NodePhase.Finished
                || incoming.record.sessions().stream().noneMatch(s -> s.name().equals(f.session));
    }

    private void release(Owner owner, List<HeldFile> files, Instant since) {
        List<String> names = new ArrayList<>();
        for (HeldFile f : files) {
            ctx.closeQuietly(f.fd);
            ctx.files.remove(f.session, f.token);
            if (state.outgoing != null) {
                state.outgoing.refused.forget(f.session, f.token);
            }
            names.add(f.session + "/" + Tokens.format(f.token));
        }
        String message = "released " + files.size() + " file(s) of " + owner + " (" + String.join(", ", names) + "): the pod has been gone since "
                + since + ", longer than the grace of " + grace + " (liveupdate.agent.socket.release-grace)";
        LOG.info(message);
        events.event(false, EVENT_REASON, message);
    }
}
