package dev.liveupdate.agent.engine;

import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.client.protocol.StatusReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The status reply one workload gets: the agent's state and the caller's own files, never another owner's (safety
 * invariant 10).
 *
 * <p>Why it always fits one frame (64 KiB): an owner holds at most {@link WorkloadLimits#MAX_FILES_PER_OWNER} (128)
 * files, and each entry is bounded: a session name of at most 55 bytes, a token of at most 20 digits, a state, a uid
 * and a detail cut to {@value #MAX_DETAIL} printable ASCII characters (one byte each, nothing to escape), at most
 * about 460 bytes of JSON together, so 128 entries take under 59 KiB; the agent part (node and plan names of at most
 * 253 bytes, boot ID, release) and the caller's owner (cut to {@value #MAX_OWNER} characters) add about 1 KiB.
 * {@code WorkloadStatusTest} encodes the largest such reply.
 */
final class WorkloadStatus {
    static final int MAX_DETAIL = 300;
    static final int MAX_OWNER = 256;

    private final String nodeName;
    private final EngineContext ctx;
    private final ProcessState state;
    private final OwnerQuota quota;

    WorkloadStatus(String nodeName, EngineContext ctx, ProcessState state, OwnerQuota quota) {
        this.nodeName = nodeName;
        this.ctx = ctx;
        this.state = state;
        this.quota = quota;
    }

    /** @param instruction the node's current instruction (its plan is named in the answer), or null */
    StatusReport of(Peer peer, String session, NodeInstruction instruction) {
        LiveUpdateNodeStatus s = state.status();
        NodeInventory inv = s.getInventory();
        StatusReport.AgentInfo agent = new StatusReport.AgentInfo(nodeName, s.getPhase() == null ? null : s.getPhase().name(),
                inv == null || inv.getAbi() == null ? null : inv.getAbi().name(), ctx.bootId, ctx.release,
                instruction == null ? null : instruction.getPlan().getName(), state.incoming != null);
        List<HeldFile> own = ctx.files.ownedBy(peer.owner());
        List<StatusReport.FileEntry> list = new ArrayList<>();
        for (HeldFile f : own) {
            if (list.size() == WorkloadLimits.MAX_FILES_PER_OWNER) {
                break; // cannot happen within the quota; peer.files still says how many there are
            }
            if (session == null || session.equals(f.session)) {
                String detail = f.detail;
                if (f.state == FileState.Held) {
                    detail = detail != null ? detail : "held by the agent; no plan preserves session " + f.session + " yet";
                }
                list.add(new StatusReport.FileEntry(f.session, f.token, f.state, f.ownerUid, bounded(detail, MAX_DETAIL)));
            }
        }
        WorkloadLimits limits = quota.limits();
        StatusReport.PeerInfo me = new StatusReport.PeerInfo(bounded(peer.owner().toString(), MAX_OWNER), own.size(), limits.maxFilesPerOwner(),
                quota.bytes(own), limits.maxBytesPerOwner());
        return new StatusReport(agent, list, me);
    }

    /** At most {@code max} characters, printable ASCII only, so every character is one byte of JSON (no escapes). */
    static String bounded(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        if (text.length() > max) {
            b.setLength(max - 3);
            b.append("...");
        }
        return b.toString();
    }
}
