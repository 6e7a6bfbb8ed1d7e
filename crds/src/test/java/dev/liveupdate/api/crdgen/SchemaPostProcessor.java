package dev.liveupdate.api.crdgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the Fabric8 generator has no annotation for: conditions as a map-list keyed by type (so the operator and the
 * agents can write conditions with server-side apply without clobbering each other), an integer default for the
 * int-or-string maxUnavailable, and descriptions of the top-level spec and status.
 */
final class SchemaPostProcessor implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        CustomResourceDefinition definition = (CustomResourceDefinition) crd;
        String kind = definition.getSpec().getNames().getKind();
        definition.getSpec().getVersions().forEach(version -> {
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            root.setDescription(kind.equals("LiveUpdate")
                    ? "A fleet-wide Linux kernel live-update plan: which nodes move to which kernel, which LUO sessions they preserve across the kexec, and how far and how fast to go."
                    : "One node's live-update instruction (spec, written by the operator) and report and inventory (status, written by the node's agent). Named after its Node.");
            JSONSchemaProps spec = root.getProperties().get("spec");
            JSONSchemaProps status = root.getProperties().get("status");
            spec.setDescription(kind.equals("LiveUpdate")
                    ? "The plan, written by users and pipelines."
                    : "The instruction, written by the operator.");
            status.setDescription(kind.equals("LiveUpdate")
                    ? "Progress of the plan, written by the operator."
                    : "The node's report and live-update inventory, written by its agent only.");
            makeConditionsMapList(status.getProperties().get("conditions"));
            describeLabelSelectors(root);
            version.setAdditionalPrinterColumns(inDeclaredOrder(version.getAdditionalPrinterColumns(),
                    kind.equals("LiveUpdate") ? LiveUpdate.class : LiveUpdateNode.class));
            if (kind.equals("LiveUpdate")) {
                spec.getProperties().get("strategy").getProperties().get("maxUnavailable").setDefault(IntNode.valueOf(1));
            }
        });
        return definition;
    }

    /** The generator sorts printer columns by name; kubectl shows them in list order, so keep the declared order. */
    private static List<CustomResourceColumnDefinition> inDeclaredOrder(List<CustomResourceColumnDefinition> columns, Class<?> type) {
        List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        List<CustomResourceColumnDefinition> ordered = new ArrayList<>(columns);
        ordered.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
        return ordered;
    }

    /** Fabric8's LabelSelector schema carries no descriptions and no operator enum; kubectl explain should. */
    private static void describeLabelSelectors(JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        Map<String, JSONSchemaProps> props = schema.getProperties();
        if (props != null) {
            if (props.containsKey("matchLabels") && props.containsKey("matchExpressions")) {
                props.get("matchLabels").setDescription("Labels a match must carry, as key: value pairs (ANDed with matchExpressions).");
                JSONSchemaProps expressions = props.get("matchExpressions");
                expressions.setDescription("Set-based requirements, all of which must hold.");
                JSONSchemaProps requirement = expressions.getItems().getSchema();
                requirement.setRequired(List.of("key", "operator"));
                requirement.getProperties().get("key").setDescription("The label key.");
                requirement.getProperties().get("operator").setDescription("In, NotIn, Exists or DoesNotExist.");
                requirement.getProperties().get("operator").setEnum(Stream.of("In", "NotIn", "Exists", "DoesNotExist")
                        .map(t -> (JsonNode) TextNode.valueOf(t)).toList());
                requirement.getProperties().get("values").setDescription("Values for In and NotIn; empty for Exists and DoesNotExist.");
                LabelSelectorRules.apply(props.get("matchLabels"), expressions, requirement);
            }
            props.values().forEach(SchemaPostProcessor::describeLabelSelectors);
        }
        if (schema.getItems() != null) {
            describeLabelSelectors(schema.getItems().getSchema());
        }
    }

    private static void makeConditionsMapList(JSONSchemaProps conditions) {
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        JSONSchemaProps item = conditions.getItems().getSchema();
        item.setRequired(List.of("type", "status"));
        Map<String, JSONSchemaProps> props = item.getProperties();
        props.get("type").setDescription("Condition type, e.g. Ready.");
        props.get("status").setDescription("True, False or Unknown.");
        props.get("status").setEnum(List.of(
                TextNode.valueOf("True"), TextNode.valueOf("False"), TextNode.valueOf("Unknown")));
        props.get("reason").setDescription("CamelCase reason for the last transition.");
        props.get("message").setDescription("Human-readable details.");
        props.get("lastTransitionTime").setDescription("When the status last changed (RFC 3339).");
        props.get("observedGeneration").setDescription("The generation the condition was set for.");
    }
}
