package dev.liveupdate.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRDs (crds/ and the chart's copy) must be exactly what the build generates from the model. */
class CrdDriftTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path GENERATED = MODULE.resolve("target/crds");
    private static final String FIX = " differs from the CRD generated from the model: run hack/update-crds.sh and commit the result";

    static Iterable<String> files() {
        return CrdYamlGenerator.FILES;
    }

    @ParameterizedTest
    @MethodSource("files")
    void committedCopyMatchesGenerated(String file) throws IOException {
        assertThat(MODULE.resolve(file)).as("crds/" + file + FIX).hasContent(generated(file));
    }

    @ParameterizedTest
    @MethodSource("files")
    void chartCopyMatchesGenerated(String file) throws IOException {
        Path chartCopy = MODULE.resolveSibling("helm/liveupdate-operator/crds").resolve(file);
        assertThat(chartCopy).as("helm/liveupdate-operator/crds/" + file + FIX).hasContent(generated(file));
    }

    private static String generated(String file) throws IOException {
        Path path = GENERATED.resolve(file);
        assertThat(path).as("the build generates target/crds in process-test-classes").exists();
        return Files.readString(path);
    }
}
