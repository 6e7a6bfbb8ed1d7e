package dev.liveupdate.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's container images as hack/build-images.sh builds them (OCI archives, no registry): runs the script
 * (it reuses what is cached and up to date) and reads the manifest it writes.
 */
public final class ProjectImages {
    /** One image: its full reference (what the chart renders) and its archive. */
    public record Image(String name, String reference, Path archive, String digest) {
    }

    private final Map<String, Image> images;

    private ProjectImages(Map<String, Image> images) {
        this.images = images;
    }

    /** Builds (or reuses) the images; {@code only} limits the build to these names (empty: all). */
    public static ProjectImages build(Path repo, String... only) {
        Path out = repo.resolve("target/images");
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("hack/build-images.sh").toString(), "--out",
                out.toString()));
        if (only.length > 0) {
            cmd.add("--only");
            cmd.add(String.join(",", only));
        }
        Path log;
        try {
            log = Files.createTempFile("build-images-", ".log");
            Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("hack/build-images.sh did not finish in 30 minutes; log: " + log);
            }
            List<String> lines = Files.readAllLines(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("hack/build-images.sh failed (exit " + p.exitValue() + "):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
            Files.deleteIfExists(log);
            return read(out.resolve("images.tsv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads images.tsv (docs/images.md): one image per line, tab-separated name, reference, archive (relative to the
     * file's directory), manifest digest, then more columns this reader does not need.
     */
    public static ProjectImages read(Path manifest) throws IOException {
        Map<String, Image> images = new LinkedHashMap<>();
        for (String line : Files.readAllLines(manifest)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 4) {
                throw new IllegalStateException(manifest + ": expected name, reference, archive, digest in: " + line);
            }
            images.put(f[0], new Image(f[0], f[1], manifest.toAbsolutePath().getParent().resolve(f[2]), f[3]));
        }
        return new ProjectImages(images);
    }

    public Image image(String name) {
        Image i = images.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no image " + name + " in the build (have " + images.keySet() + ")");
        }
        return i;
    }

    public String reference(String name) {
        return image(name).reference();
    }

    public Path archive(String name) {
        return image(name).archive();
    }

    public List<Path> archives() {
        return images.values().stream().map(Image::archive).toList();
    }
}
