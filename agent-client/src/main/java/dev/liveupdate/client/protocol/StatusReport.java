package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of a status reply: what the agent is doing, and where each of the caller's files is. The agent lists only
 * the files of the workload (pod) that asks, and says who it takes the caller for and how much of its quota is used.
 *
 * @param peer null from an agent that does not say
 */
public record StatusReport(AgentInfo agent, List<FileEntry> files, PeerInfo peer) {

    public StatusReport(AgentInfo agent, List<FileEntry> files) {
        this(agent, files, null);
    }

    /**
     * @param phase     the LiveUpdateNode phase (Idle, Preparing, ... Failed)
     * @param abi       A, B or None
     * @param plan      the plan name of the current instruction, or null
     * @param updatedBy true when this boot came from a live update whose files this agent serves
     */
    public record AgentInfo(String node, String phase, String abi, String bootID, String kernelRelease, String plan, boolean updatedBy) {
    }

    /**
     * Who the agent takes the caller for, and the caller's quota.
     *
     * @param owner    "pod <uid>", or "host uid <n> in cgroup <path>" for a process outside any pod
     * @param maxFiles files one owner may hold; maxBytes: bytes (0: no limit)
     */
    public record PeerInfo(String owner, int files, int maxFiles, long bytes, long maxBytes) {
    }

    /** @param ownerUid uid of the process that registered the file in this boot, or -1 when it came through the kexec */
    public record FileEntry(String session, long token, FileState state, long ownerUid, String detail) {
    }

    public Optional<FileEntry> file(String session, long token) {
        return files.stream().filter(f -> f.session().equals(session) && f.token() == token).findFirst();
    }

    public ObjectNode toJson() {
        ObjectNode json = Wire.JSON.createObjectNode();
        ObjectNode a = json.putObject("agent");
        a.put("node", agent.node());
        a.put("phase", agent.phase());
        a.put("abi", agent.abi());
        a.put("bootID", agent.bootID());
        a.put("kernelRelease", agent.kernelRelease());
        a.put("plan", agent.plan());
        a.put("updated", agent.updatedBy());
        if (peer != null) {
            ObjectNode p = json.putObject("peer");
            p.put("owner", peer.owner());
            p.put("files", peer.files());
            p.put("maxFiles", peer.maxFiles());
            p.put("bytes", peer.bytes());
            p.put("maxBytes", peer.maxBytes());
        }
        ArrayNode list = json.putArray("files");
        for (FileEntry f : files) {
            ObjectNode o = list.addObject();
            o.put("session", f.session());
            o.set("token", Tokens.toJson(f.token()));
            o.put("state", f.state().name());
            o.put("ownerUid", f.ownerUid());
            if (f.detail() != null) {
                o.put("detail", f.detail());
            }
        }
        return json;
    }

    public static StatusReport fromJson(JsonNode json) throws ProtocolException {
        JsonNode a = json.path("agent");
        AgentInfo agent = new AgentInfo(text(a, "node"), text(a, "phase"), text(a, "abi"), text(a, "bootID"),
                text(a, "kernelRelease"), text(a, "plan"), a.path("updated").asBoolean(false));
        List<FileEntry> files = new ArrayList<>();
        for (JsonNode f : json.path("files")) {
            FileState state;
            try {
                state = FileState.valueOf(f.path("state").asText());
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.BAD_JSON, "unknown file state " + f.get("state"));
            }
            files.add(new FileEntry(f.path("session").asText(), Tokens.fromJson(f.get("token")), state,
                    f.path("ownerUid").asLong(-1), text(f, "detail")));
        }
        JsonNode p = json.get("peer");
        PeerInfo peer = p == null || !p.isObject() ? null : new PeerInfo(text(p, "owner"), p.path("files").asInt(0),
                p.path("maxFiles").asInt(0), p.path("bytes").asLong(0), p.path("maxBytes").asLong(0));
        return new StatusReport(agent, List.copyOf(files), peer);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
