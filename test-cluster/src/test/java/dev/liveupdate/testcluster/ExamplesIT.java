package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.LiveUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every plan under examples/ is accepted by the real API server (schema, CEL, defaults) and listed in its README. */
class ExamplesIT {
    private static final Path EXAMPLES = RepoLayout.locate().root().resolve("examples");
    private final KubernetesClient admin = SharedTestCluster.get().client();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("example plans in " + EXAMPLES).isNotEmpty();
            return yaml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theApiServerAcceptsTheExample(Path file) throws IOException {
        LiveUpdate plan;
        try (InputStream in = Files.newInputStream(file)) {
            plan = Serialization.unmarshal(in, LiveUpdate.class);
        }
        assertThat(plan.getMetadata().getName()).as("%s names its plan", file.getFileName()).isNotBlank();
        // A dry run: the server validates and defaults the object as it would store it, and stores nothing.
        LiveUpdate accepted = admin.resource(plan).dryRun().create();
        assertThat(accepted.getSpec().getStrategy()).as("defaults applied to %s", file.getFileName()).isNotNull();
        assertThat(accepted.getSpec().getStrategy().getMaxUnavailable()).isNotNull();
        assertThat(admin.resources(LiveUpdate.class).withName(plan.getMetadata().getName()).get()).as("nothing stored").isNull();
    }

    @Test
    void theReadmeListsEveryExample() throws IOException {
        String readme = Files.readString(EXAMPLES.resolve("README.md"));
        assertThat(examples().map(p -> "`" + p.getFileName() + "`")).allMatch(readme::contains);
    }
}
