package dev.liveupdate.testcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the repository's files are (CRDs, chart, pinned versions), for tests that run from any module.
 * The build passes {@code -Dliveupdate.repo.root}; otherwise the working directory and its parents are searched.
 */
public final class RepoLayout {
    public static final String ROOT_PROPERTY = "liveupdate.repo.root";

    private final Path root;

    private RepoLayout(Path root) {
        this.root = root;
    }

    /** The repository, or an exception explaining how to point the harness at it. */
    public static RepoLayout locate() {
        return find().orElseThrow(() -> new IllegalStateException(
                "cannot find the liveupdate-operator repository (a directory holding tools/versions.env and crds/): "
                        + "run from inside it or pass -D" + ROOT_PROPERTY + "=/path/to/repo"));
    }

    /** The repository if it can be found. */
    public static Optional<RepoLayout> find() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            return isRepo(p) ? Optional.of(new RepoLayout(p)) : Optional.empty();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRepo(p)) {
                return Optional.of(new RepoLayout(p));
            }
        }
        return Optional.empty();
    }

    private static boolean isRepo(Path p) {
        return Files.isRegularFile(p.resolve("tools/versions.env")) && Files.isDirectory(p.resolve("crds"));
    }

    public Path root() {
        return root;
    }

    /** tools/versions.env: the pinned control-plane versions. */
    public Path versionsFile() {
        return root.resolve("tools/versions.env");
    }

    /** crds/: the generated CustomResourceDefinitions. */
    public Path crdDir() {
        return root.resolve("crds");
    }

    /** helm/liveupdate-operator: the chart. */
    public Path chartDir() {
        return root.resolve("helm/liveupdate-operator");
    }
}
