package dev.liveupdate.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated CRDs carry the validation, defaults, list types and printer columns the API promises. */
class CrdSchemaTest {

    private static CustomResourceDefinitionVersion load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target/crds", file))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
            assertThat(crd.getSpec().getGroup()).isEqualTo("liveupdate.dev");
            return crd.getSpec().getVersions().get(0);
        }
    }

    private static JSONSchemaProps at(CustomResourceDefinitionVersion version, String... path) {
        JSONSchemaProps props = version.getSchema().getOpenAPIV3Schema();
        for (String step : path) {
            props = step.equals("[]") ? props.getItems().getSchema() : props.getProperties().get(step);
            assertThat(props).as("schema path " + String.join(".", path)).isNotNull();
        }
        return props;
    }

    private static List<String> rules(JSONSchemaProps props) {
        List<ValidationRule> rules = props.getXKubernetesValidations();
        return rules == null ? List.of() : rules.stream().map(ValidationRule::getRule).toList();
    }

    @Test
    void liveUpdatePrinterColumnsShowProgress() throws IOException {
        List<String> names = load("liveupdates.liveupdate.dev.yaml").getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == null || c.getPriority() == 0)
                .map(CustomResourceColumnDefinition::getName).toList();
        assertThat(names).containsExactly("Phase", "Kernel", "Done", "Failed", "Preflight", "Age");
    }

    @Test
    void liveUpdateNodePrinterColumnsShowInventory() throws IOException {
        List<String> names = load("liveupdatenodes.liveupdate.dev.yaml").getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == null || c.getPriority() == 0)
                .map(CustomResourceColumnDefinition::getName).toList();
        assertThat(names).containsExactly("Node", "Desired", "Since", "Phase", "ABI", "Blackout", "Age");
    }

    @Test
    void conditionsAreMapListsKeyedByType() throws IOException {
        for (String file : CrdYamlGenerator.FILES) {
            JSONSchemaProps conditions = at(load(file), "status", "conditions");
            assertThat(conditions.getXKubernetesListType()).as(file).isEqualTo("map");
            assertThat(conditions.getXKubernetesListMapKeys()).as(file).containsExactly("type");
            assertThat(conditions.getItems().getSchema().getRequired()).as(file).contains("type");
        }
    }

    @Test
    void planValidationRulesArePresent() throws IOException {
        CustomResourceDefinitionVersion v = load("liveupdates.liveupdate.dev.yaml");
        assertThat(rules(at(v, "spec", "sessions"))).contains("self.all(s, self.exists_one(t, t.name == s.name))", "self == oldSelf");
        assertThat(rules(at(v, "spec", "sessions", "[]", "name"))).anyMatch(r -> r.contains("<= 55")).anyMatch(r -> r.contains("matches"));
        assertThat(rules(at(v, "spec", "kernel"))).contains("self == oldSelf");
        assertThat(rules(at(v, "spec", "strategy", "maxUnavailable"))).singleElement().asString().contains("type(self) == int");
        assertThat(rules(at(v, "spec", "strategy", "maxFailures"))).containsExactly("self >= 0");
        assertThat(rules(at(v, "spec", "window", "start"))).singleElement().asString().contains("matches");
        assertThat(rules(at(v, "spec", "window"))).containsExactly("self.start != self.end");
        assertThat(rules(at(v, "spec", "targetPhase"))).singleElement().asString().contains("oldSelf");
        assertThat(rules(at(v, "spec"))).singleElement().asString().contains("oldSelf.cancel");
        assertThat(rules(at(v, "spec", "kernel", "image"))).singleElement().asString()
                .contains(dev.liveupdate.api.v1alpha1.ApiPatterns.NORMALISED_ABSOLUTE_PATH);
        assertThat(rules(at(v, "spec", "kernel", "initrd"))).singleElement().asString()
                .contains(dev.liveupdate.api.v1alpha1.ApiPatterns.NORMALISED_ABSOLUTE_PATH);
        assertThat(at(v, "spec", "strategy", "maxFailures").getMinimum()).isZero();
        assertThat(rules(at(v, "spec", "nodeSelector", "matchExpressions", "[]"))).hasSize(3)
                .anyMatch(r -> r.contains("self.operator in ['In', 'NotIn']"));
        assertThat(at(v, "spec", "kernel", "sha256").getPattern()).isEqualTo("^[0-9a-f]{64}$");
        assertThat(at(v, "spec", "kernel", "release").getMinLength()).isEqualTo(1L);
        assertThat(at(v, "spec", "kernel").getRequired()).containsExactly("release");
        assertThat(rules(at(v, "spec", "kernel"))).contains("has(self.image) != has(self.url)", "!has(self.url) || has(self.sha256)");
        assertThat(rules(at(v, "spec", "kernel", "url"))).singleElement().asString().contains(dev.liveupdate.api.v1alpha1.ApiPatterns.KERNEL_URL);
        assertThat(at(v, "spec", "kernel", "url").getMaxLength()).isEqualTo(2048L);
        assertThat(at(v, "spec", "timeouts", "prepare").getPattern()).isEqualTo("^([0-9]+(ms|s|m|h))+$");
        assertThat(at(v, "spec", "targetPhase").getEnum()).extracting(n -> n.asText()).containsExactlyInAnyOrder("Prepared", "Updated", "Finished");
        assertThat(at(v, "spec", "nodeSelector", "matchExpressions", "[]", "operator").getEnum()).hasSize(4);
    }

    @Test
    void planDefaultsAreDeclaredInTheSchema() throws IOException {
        CustomResourceDefinitionVersion v = load("liveupdates.liveupdate.dev.yaml");
        assertThat(at(v, "spec", "targetPhase").getDefault().asText()).isEqualTo("Finished");
        assertThat(at(v, "spec", "strategy").getDefault().isObject()).isTrue();
        assertThat(at(v, "spec", "strategy", "maxUnavailable").getDefault().isInt()).isTrue();
        assertThat(at(v, "spec", "strategy", "maxFailures").getDefault().asInt()).isZero();
        assertThat(at(v, "spec", "strategy", "barrier").getDefault().asBoolean()).isTrue();
        assertThat(at(v, "spec", "timeouts", "prepare").getDefault().asText()).isEqualTo("15m");
        assertThat(at(v, "spec", "sessions", "[]", "required").getDefault().asBoolean()).isTrue();
        assertThat(at(v, "spec", "cordon").getDefault().asText()).isEqualTo("Always");
    }

    @Test
    void nodeValidationRulesProtectOwnershipAndOrder() throws IOException {
        CustomResourceDefinitionVersion v = load("liveupdatenodes.liveupdate.dev.yaml");
        assertThat(rules(v.getSchema().getOpenAPIV3Schema())).containsExactly("self.metadata.name == self.spec.nodeName");
        assertThat(rules(at(v, "spec"))).hasSize(2).anyMatch(r -> r.contains("plan.uid"));
        assertThat(at(v, "spec", "instruction", "step").getEnum()).hasSize(4);
        assertThat(at(v, "status", "phase").getEnum()).hasSize(9);
        assertThat(at(v, "status", "inventory", "rebootStrategy").getEnum()).extracting(n -> n.asText())
                .containsExactlyInAnyOrder("Direct", "Simulated", "Systemd");
    }

    @Test
    void everyFieldHasADescription() throws IOException {
        for (String file : CrdYamlGenerator.FILES) {
            List<String> missing = new ArrayList<>();
            collectUndescribed("", load(file).getSchema().getOpenAPIV3Schema(), missing);
            assertThat(missing).as("fields without description in " + file).isEmpty();
        }
    }

    private static void collectUndescribed(String path, JSONSchemaProps props, List<String> missing) {
        if (props.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> e : props.getProperties().entrySet()) {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (!child.equals("metadata") && !child.equals("apiVersion") && !child.equals("kind")
                        && (e.getValue().getDescription() == null || e.getValue().getDescription().isBlank())) {
                    missing.add(child);
                }
                collectUndescribed(child, e.getValue(), missing);
            }
        }
        if (props.getItems() != null && props.getItems().getSchema() != null) {
            collectUndescribed(path + "[]", props.getItems().getSchema(), missing);
        }
    }
}
