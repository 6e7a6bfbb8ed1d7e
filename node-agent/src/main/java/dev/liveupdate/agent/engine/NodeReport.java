package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.AbiGeneration;
import dev.liveupdate.api.v1alpha1.DeviceState;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.Registration;
import dev.liveupdate.api.v1alpha1.SessionState;
import dev.liveupdate.api.v1alpha1.SessionStatus;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import dev.liveupdate.luo.sys.ErrnoException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the status that describes the node rather than a step: sessions, unmanaged registrations, inventory (with
 * the facts fleet preflight reads, {@link PreflightInventory}) and
 * the device and readiness conditions. Written after every input, and once more right before the kexec.
 */
final class NodeReport {
    private final EngineSettings settings;
    private final EngineContext ctx;
    private final ProcessState state;
    private final HeldRestore heldRestore;
    private final PreflightInventory preflight;

    NodeReport(EngineSettings settings, EngineContext ctx, ProcessState state, HeldRestore heldRestore) {
        this.settings = settings;
        this.ctx = ctx;
        this.state = state;
        this.heldRestore = heldRestore;
        this.preflight = new PreflightInventory(settings.hostRoot(), settings.kernelDirs(), ctx.host, ctx.clock);
    }

    void update() {
        reportSessions();
        reportRegistrations();
        reportInventory();
    }

    private void reportInventory() {
        LiveUpdateNodeStatus s = state.status();
        StatusReporter reporter = state.reporter;
        NodeInventory inv = new NodeInventory();
        LuoDevice device = ctx.device.device();
        inv.setKernelRelease(ctx.release);
        inv.setBootID(ctx.bootId);
        inv.setAgentVersion(settings.agentVersion());
        inv.setRebootStrategy(settings.rebootStrategy());
        switch (ctx.device.availability()) {
            case OPEN -> {
                inv.setCapable(true);
                inv.setAbi(device.generation() == Generation.A ? AbiGeneration.A : AbiGeneration.B);
                inv.setDeviceState(deviceState(device));
                reporter.condition("DeviceReady", true, "Opened", "the agent holds " + settings.devicePath() + " (generation " + device.generation() + ")");
            }
            case ABSENT -> {
                inv.setCapable(false);
                inv.setAbi(AbiGeneration.None);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "NoLiveUpdateDevice", ctx.device.problem());
            }
            case BUSY -> {
                inv.setCapable(false);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "DeviceBusy", ctx.device.problem());
            }
            default -> {
                inv.setCapable(false);
                inv.setReason(ctx.device.problem());
                reporter.condition("DeviceReady", false, "OpenFailed", String.valueOf(ctx.device.problem()));
            }
        }
        reporter.condition("Ready", ctx.device.settled(), ctx.device.settled() ? "AgentReady" : "DeviceNotSettled",
                ctx.device.settled() ? "the agent knows this node's live-update capability and follows its instruction" : "waiting for /dev/liveupdate");
        PreflightFacts facts = preflight.facts(state.outgoing == null && state.incoming == null);
        facts.setRegistrations(registrationsBySession());
        inv.setPreflight(facts);
        s.setInventory(inv);
        List<dev.liveupdate.api.v1alpha1.StagedArtifact> staging = ctx.staging.report();
        s.setStaging(staging.isEmpty() ? null : staging);
        heldRestore.report();
    }

    /** Distinct files workloads handed over (held or preserved), per session: what minFiles counts. */
    private List<Registration> registrationsBySession() {
        Map<String, Set<Object>> files = new TreeMap<>();
        for (HeldFile f : ctx.files.all()) {
            if (f.state == FileState.Held || f.state == FileState.Preserved) {
                Object identity = f.stat == null ? (Object) f.token : List.of(f.stat.dev(), f.stat.ino());
                files.computeIfAbsent(f.session, k -> new HashSet<>()).add(identity);
            }
        }
        List<Registration> list = new ArrayList<>();
        files.forEach((session, set) -> {
            Registration r = new Registration();
            r.setSession(session);
            r.setFiles(set.size());
            list.add(r);
        });
        return list.isEmpty() ? null : list;
    }

    private DeviceState deviceState(LuoDevice device) {
        if (device.generation() != Generation.A) {
            return DeviceState.Undefined;
        }
        try {
            return switch (device.state()) {
                case NORMAL -> DeviceState.Normal;
                case PREPARED -> DeviceState.Prepared;
                case FROZEN -> DeviceState.Frozen;
                case UPDATED -> DeviceState.Updated;
                default -> DeviceState.Undefined;
            };
        } catch (ErrnoException e) {
            return DeviceState.Undefined;
        }
    }

    private void reportSessions() {
        OutgoingRun outgoing = state.outgoing;
        IncomingRun incoming = state.incoming;
        List<SessionStatus> list = new ArrayList<>();
        if (outgoing != null) {
            for (Map.Entry<String, LuoSession> e : outgoing.sessions.entrySet()) {
                SessionStatus st = new SessionStatus();
                st.setName(e.getKey());
                st.setRequired(outgoing.spec(e.getKey()).map(OutgoingRun::required).orElse(true));
                st.setState(SessionState.Created);
                st.setPreservedTokens(tokens(e.getKey(), FileState.Preserved));
                list.add(st);
            }
        } else if (incoming != null) {
            for (UpdateRecord.SessionRecord r : incoming.record.sessions()) {
                SessionStatus st = new SessionStatus();
                st.setName(r.name());
                st.setRequired(r.required());
                st.setState(incoming.phase == NodePhase.Finished ? SessionState.Finished : incoming.lost.containsKey(r.name()) ? SessionState.Lost : SessionState.Retrieved);
                st.setPreservedTokens(r.tokens().isEmpty() ? null : r.tokens());
                List<Long> reclaimed = incoming.reclaimed(r);
                st.setRestoredTokens(reclaimed.isEmpty() ? null : reclaimed);
                list.add(st);
            }
        } else {
            return; // keep whatever was last reported (e.g. the Lost sessions of a recovered failure)
        }
        state.status().setSessions(list.isEmpty() ? null : list);
    }

    private List<Long> tokens(String session, FileState fileState) {
        List<Long> t = ctx.files.inSession(session).stream().filter(f -> f.state == fileState).map(f -> f.token).toList();
        return t.isEmpty() ? null : t;
    }

    private void reportRegistrations() {
        OutgoingRun outgoing = state.outgoing;
        Map<String, Integer> unmanaged = new LinkedHashMap<>();
        for (HeldFile f : ctx.files.all()) {
            if (f.state == FileState.Held && (outgoing == null || !outgoing.declares(f.session))) {
                unmanaged.merge(f.session, 1, Integer::sum);
            }
        }
        List<Registration> list = new ArrayList<>();
        unmanaged.forEach((session, n) -> {
            Registration r = new Registration();
            r.setSession(session);
            r.setFiles(n);
            list.add(r);
        });
        state.status().setUnmanagedRegistrations(list.isEmpty() ? null : list);
    }
}
