package dev.liveupdate.agent.engine;

import dev.liveupdate.client.protocol.Tokens;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A session's files grouped by the file they are, (st_dev, st_ino) of the agent's fd: the same memfd handed over under
 * two tokens is one file. A session's {@code minFiles} counts these groups, not tokens (generation A preserves such a
 * file under both tokens; 7.x generation B refuses the second anyway).
 */
final class DistinctFiles {
    private final List<List<HeldFile>> groups = new ArrayList<>();

    private DistinctFiles() {
    }

    static DistinctFiles of(Collection<HeldFile> files) {
        DistinctFiles d = new DistinctFiles();
        for (HeldFile f : files) {
            d.groups.stream().filter(g -> sameFile(g.get(0), f)).findFirst()
                    .ifPresentOrElse(g -> g.add(f), () -> d.groups.add(new ArrayList<>(List.of(f))));
        }
        return d;
    }

    /** A file whose identity is unknown (fstat failed) counts as a file of its own. */
    private static boolean sameFile(HeldFile a, HeldFile b) {
        return a.stat != null && a.stat.sameFile(b.stat);
    }

    int count() {
        return groups.size();
    }

    /** "tokens 1,2 are one file" for each file handed over under more than one token; empty when every token is its own file. */
    List<String> sharedTokens() {
        List<String> shared = new ArrayList<>();
        for (List<HeldFile> g : groups) {
            if (g.size() > 1) {
                shared.add("tokens " + String.join(",", g.stream().map(f -> Tokens.format(f.token)).toList()) + " are one file");
            }
        }
        return shared;
    }
}
