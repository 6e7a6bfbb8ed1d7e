package dev.liveupdate.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the built pieces the fleet runs live in the repository, checked up front with a fix for each gap. */
public record FleetLayout(Path repoRoot, Path operatorJar, Path agentJar, Path libDir, Path examplesDir) {

    public static FleetLayout of(Path repoRoot) {
        Path root = repoRoot.toAbsolutePath().normalize();
        return new FleetLayout(root,
                root.resolve("operator/target/quarkus-app/quarkus-run.jar"),
                root.resolve("node-agent/target/quarkus-app/quarkus-run.jar"),
                root.resolve("sandbox/target/lib"),
                root.resolve("examples"));
    }

    /** Finds the repository from a directory inside it (the one with examples/ and the root pom). */
    public static FleetLayout locate(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isDirectory(p.resolve("sandbox"))) {
                return of(p);
            }
        }
        throw new IllegalStateException("cannot find the liveupdate-operator repository above " + start.toAbsolutePath()
                + "; run from inside the repository or pass --repo");
    }

    /** Throws with every missing piece and the command that builds it. */
    public FleetLayout verified() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(operatorJar, agentJar, libDir)) {
            if (!Files.exists(p)) {
                missing.add(p.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not built yet: " + String.join(", ", missing)
                    + "; run ./hack/sandbox.sh (it builds them) or mvn install -DskipTests");
        }
        return this;
    }

    /** Class path of the workload client (lu-client) and its dependencies. */
    public String clientClassPath() {
        return libDir.resolve("*").toString();
    }
}
