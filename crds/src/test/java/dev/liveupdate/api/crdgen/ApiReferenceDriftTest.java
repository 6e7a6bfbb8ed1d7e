package dev.liveupdate.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/api-reference.md must say what the CRDs enforce. */
class ApiReferenceDriftTest {
    @Test
    void committedReferenceMatchesTheCrds() throws IOException {
        Path committed = Path.of("").toAbsolutePath().resolveSibling("docs/api-reference.md");
        assertThat(committed).as("docs/api-reference.md is out of date: run hack/update-crds.sh and commit the result")
                .hasContent(ApiReferenceGenerator.render(Path.of("target/crds")));
    }

    @Test
    void referenceListsValidationMessagesAndDefaults() throws IOException {
        String md = ApiReferenceGenerator.render(Path.of("target/crds"));
        assertThat(md).contains("`spec.kernel.release` (required)", "session names must be unique within a plan",
                "| `spec.targetPhase` | string | `Finished` |", "int or string");
    }
}
