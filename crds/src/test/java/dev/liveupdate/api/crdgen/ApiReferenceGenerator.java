package dev.liveupdate.api.crdgen;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.stream.Collectors;

/**
 * Writes docs/api-reference.md from the generated CRDs, so the reference says exactly what the API server enforces
 * (descriptions, defaults, patterns, enums, CEL rules). {@code ApiReferenceDriftTest} keeps the committed copy current.
 */
public final class ApiReferenceGenerator {

    private ApiReferenceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path crds = Path.of(args.length > 0 ? args[0] : "target/crds");
        Path out = Path.of(args.length > 1 ? args[1] : "target/api-reference.md");
        Files.writeString(out, render(crds));
        System.out.println("API reference written to " + out.toAbsolutePath());
    }

    public static String render(Path crdDir) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# API reference: liveupdate.dev/v1alpha1\n\n")
                .append("Generated from the CRDs (which are generated from `crds/src/main/java`) by `ApiReferenceGenerator`;")
                .append(" do not edit, run `hack/update-crds.sh`. Everything listed under *validation* is enforced by the")
                .append(" API server, so a bad plan is rejected at `kubectl apply` with the message shown.\n");
        for (String file : CrdYamlGenerator.FILES) {
            try (InputStream in = Files.newInputStream(crdDir.resolve(file))) {
                renderCrd(Serialization.unmarshal(in, CustomResourceDefinition.class), md);
            }
        }
        return md.toString();
    }

    private static void renderCrd(CustomResourceDefinition crd, StringBuilder md) {
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        String kind = crd.getSpec().getNames().getKind();
        md.append("\n## ").append(kind).append("\n\n")
                .append(root.getDescription()).append("\n\n")
                .append("Scope: ").append(crd.getSpec().getScope())
                .append(". Short name: `").append(String.join("`, `", crd.getSpec().getNames().getShortNames())).append("`.")
                .append(" `kubectl get ").append(crd.getSpec().getNames().getShortNames().get(0)).append("` columns: ")
                .append(version.getAdditionalPrinterColumns().stream()
                        .map(c -> c.getName() + (c.getPriority() != null && c.getPriority() > 0 ? " (-o wide)" : ""))
                        .collect(Collectors.joining(", ")))
                .append(".\n");
        if (root.getXKubernetesValidations() != null && !root.getXKubernetesValidations().isEmpty()) {
            md.append("\nObject rules:\n");
            root.getXKubernetesValidations().forEach(r -> md.append("- `").append(r.getRule()).append("`: ").append(r.getMessage()).append('\n'));
        }
        for (String section : List.of("spec", "status")) {
            md.append("\n### ").append(kind).append('.').append(section).append("\n\n")
                    .append(root.getProperties().get(section).getDescription()).append("\n\n")
                    .append("| field | type | default | validation | description |\n|---|---|---|---|---|\n");
            List<String> rows = new ArrayList<>();
            collectRows(section, root.getProperties().get(section), rows);
            rows.forEach(md::append);
        }
    }

    private static void collectRows(String path, JSONSchemaProps props, List<String> rows) {
        if (props.getProperties() == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> e : props.getProperties().entrySet()) {
            String field = path + "." + e.getKey();
            JSONSchemaProps p = e.getValue();
            boolean required = props.getRequired() != null && props.getRequired().contains(e.getKey());
            rows.add("| `" + field + "`" + (required ? " (required)" : "") + " | " + type(p) + " | "
                    + (p.getDefault() == null ? "" : "`" + compact(p.getDefault()) + "`") + " | " + validation(p) + " | "
                    + escape(p.getDescription()) + " |\n");
            collectRows(field, p, rows);
            if (p.getItems() != null && p.getItems().getSchema() != null) {
                collectRows(field + "[]", p.getItems().getSchema(), rows);
            }
        }
    }

    private static String type(JSONSchemaProps p) {
        if (Boolean.TRUE.equals(p.getXKubernetesIntOrString())) {
            return "int or string";
        }
        if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
            String list = "map".equals(p.getXKubernetesListType()) ? " (map keyed by " + String.join(",", p.getXKubernetesListMapKeys()) + ")" : "";
            return "[]" + p.getItems().getSchema().getType() + list;
        }
        return p.getType();
    }

    private static String validation(JSONSchemaProps p) {
        List<String> parts = new ArrayList<>();
        if (p.getEnum() != null && !p.getEnum().isEmpty()) {
            parts.add("one of " + p.getEnum().stream().map(JsonNode::asText).collect(Collectors.joining(", ")));
        }
        if (p.getPattern() != null) {
            parts.add("pattern `" + p.getPattern() + "`");
        }
        if (p.getMinLength() != null) {
            parts.add("minLength " + p.getMinLength());
        }
        if (p.getMaxLength() != null) {
            parts.add("maxLength " + p.getMaxLength());
        }
        if (p.getMinimum() != null) {
            parts.add("min " + p.getMinimum().longValue());
        }
        if (p.getMaximum() != null) {
            parts.add("max " + p.getMaximum().longValue());
        }
        if (p.getMaxItems() != null) {
            parts.add("maxItems " + p.getMaxItems());
        }
        if (p.getXKubernetesValidations() != null) {
            for (ValidationRule r : p.getXKubernetesValidations()) {
                parts.add("rule: " + escape(r.getMessage()));
            }
        }
        return String.join("; ", parts);
    }

    private static String compact(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
