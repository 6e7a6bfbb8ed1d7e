package dev.liveupdate.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The body of a status reply: what the agent is doing, and where each registered file is. */
public record StatusReport(AgentInfo agent, List<FileEntry> files) {

    /**
     * @param phase     the LiveUpdateNode phase (Idle, Preparing, ... Failed)
     * @param abi       A, B or None
     * @param plan      the plan name of the current instruction, or null
     * @param updatedBy true when this boot came from a live update whose files this agent serves
     */
    public record AgentInfo(String node, String phase, String abi, String bootID, String kernelRelease, String plan, boolean updatedBy) {
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
        return new StatusReport(agent, List.copyOf(files));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
