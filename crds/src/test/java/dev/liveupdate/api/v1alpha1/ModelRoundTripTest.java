package dev.liveupdate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** YAML -> model -> YAML keeps every field: a field the model forgets would be silently dropped by the operator. */
class ModelRoundTripTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode tree(String resource) throws IOException {
        try (InputStream in = ModelRoundTripTest.class.getResourceAsStream(resource)) {
            return YAML.readTree(in);
        }
    }

    private static <T> void assertRoundTrip(String resource, Class<T> type) throws IOException {
        JsonNode original = tree(resource);
        T model = Serialization.unmarshal(YAML.writeValueAsString(original), type);
        JsonNode back = YAML.readTree(Serialization.asYaml(model));
        assertThat(back).as("round trip of " + resource).isEqualTo(original);
    }

    @Test
    void liveUpdateKeepsEveryField() throws IOException {
        assertRoundTrip("/samples/liveupdate-full.yaml", LiveUpdate.class);
    }

    @Test
    void liveUpdateNodeKeepsEveryField() throws IOException {
        assertRoundTrip("/samples/liveupdatenode-full.yaml", LiveUpdateNode.class);
    }

    @Test
    void percentAndIntegerMaxUnavailableBothParse() {
        LiveUpdate lu = Serialization.unmarshal("""
                apiVersion: liveupdate.dev/v1alpha1
                kind: LiveUpdate
                metadata: {name: a}
                spec:
                  nodeSelector: {}
                  kernel: {release: r, image: /boot/x}
                  strategy: {maxUnavailable: 3}
                """, LiveUpdate.class);
        assertThat(lu.getSpec().getStrategy().getMaxUnavailable().getIntVal()).isEqualTo(3);
        assertThat(lu.getSpec().getKernel().getImage()).isEqualTo("/boot/x");
    }
}
