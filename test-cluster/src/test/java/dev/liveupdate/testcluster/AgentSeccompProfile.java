package dev.liveupdate.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

/** The chart's agent seccomp profile (files/agent-seccomp.json) read as the runtime reads it: what it allows outright. */
record AgentSeccompProfile(JsonNode root) {
    static AgentSeccompProfile parse(String json) {
        try {
            return new AgentSeccompProfile(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Syscalls allowed without an argument condition. */
    Set<String> allowed() {
        Set<String> names = new TreeSet<>();
        rules().stream().filter(r -> r.path("action").asText().equals("SCMP_ACT_ALLOW") && r.path("args").isMissingNode())
                .forEach(r -> r.path("names").forEach(n -> names.add(n.asText())));
        return names;
    }

    /** Syscalls named by any rule, conditional or not, whatever its action. */
    Set<String> named() {
        Set<String> names = new TreeSet<>();
        rules().forEach(r -> r.path("names").forEach(n -> names.add(n.asText())));
        return names;
    }

    List<JsonNode> rules() {
        return StreamSupport.stream(root.path("syscalls").spliterator(), false).toList();
    }

    List<JsonNode> rulesFor(String syscall) {
        return rules().stream().filter(r -> StreamSupport.stream(r.path("names").spliterator(), false)
                .anyMatch(n -> n.asText().equals(syscall))).toList();
    }
}
