package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Applies YAML (a file, a directory of *.yaml / *.yml, or a string such as `helm template` output) with server-side
 * apply, in dependency order: CRDs first (waiting until they are Established and served), then Namespaces, then
 * everything else. Like `kubectl apply --server-side --force-conflicts`.
 */
public final class ManifestApplier {
    public static final String FIELD_MANAGER = "liveupdate-test-cluster";
    private static final Duration CRD_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Integer> ORDER = Map.of(
            "CustomResourceDefinition", 0,
            "Namespace", 1,
            "ServiceAccount", 2,
            "ClusterRole", 3,
            "Role", 3,
            "ClusterRoleBinding", 4,
            "RoleBinding", 4,
            "ValidatingAdmissionPolicy", 5,
            "ValidatingAdmissionPolicyBinding", 6);

    private final KubernetesClient client;

    ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Applies a file or every *.yaml / *.yml file in a directory (not recursive). */
    public List<HasMetadata> apply(Path fileOrDir) {
        try {
            if (Files.isDirectory(fileOrDir)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(fileOrDir)) {
                    files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
                }
                if (files.isEmpty()) {
                    throw new IllegalArgumentException("no *.yaml files in " + fileOrDir);
                }
                StringBuilder all = new StringBuilder();
                for (Path f : files) {
                    all.append(Files.readString(f)).append("\n---\n");
                }
                return applyYaml(all.toString());
            }
            return applyYaml(Files.readString(fileOrDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies every object in a multi-document YAML string; returns them as the server stored them. */
    public List<HasMetadata> applyYaml(String yaml) {
        List<HasMetadata> items = new ArrayList<>(client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items().stream().filter(Objects::nonNull).toList());
        items.sort(Comparator.comparingInt(i -> ORDER.getOrDefault(i.getKind(), 10)));
        List<HasMetadata> applied = new ArrayList<>();
        boolean crdsWaited = false;
        for (HasMetadata item : items) {
            if (!crdsWaited && !(item instanceof CustomResourceDefinition)) {
                awaitCrds(applied);
                crdsWaited = true;
            }
            applied.add(client.resource(item).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        }
        if (!crdsWaited) {
            awaitCrds(applied);
        }
        return applied;
    }

    private void awaitCrds(List<HasMetadata> applied) {
        for (HasMetadata item : applied) {
            if (item instanceof CustomResourceDefinition crd) {
                awaitEstablished(crd);
            }
        }
    }

    /** Waits until the CRD is Established and its group/version is in discovery (so creating objects does not 404). */
    public void awaitEstablished(CustomResourceDefinition crd) {
        String name = crd.getMetadata().getName();
        Poll.until("CRD " + name + " Established", CRD_TIMEOUT, Duration.ofMillis(100), () -> {
            CustomResourceDefinition now = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            if (now == null || now.getStatus() == null || now.getStatus().getConditions() == null) {
                return Optional.empty();
            }
            for (var c : now.getStatus().getConditions()) {
                if ("NamesAccepted".equals(c.getType()) && "False".equals(c.getStatus())) {
                    throw new IllegalStateException("CRD " + name + " names not accepted: " + c.getMessage());
                }
            }
            boolean established = now.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            return established ? Optional.of(now) : Optional.empty();
        }, Optional::empty);
        String plural = crd.getSpec().getNames().getPlural();
        for (var v : crd.getSpec().getVersions()) {
            if (!Boolean.TRUE.equals(v.getServed())) {
                continue;
            }
            String gv = crd.getSpec().getGroup() + "/" + v.getName();
            Poll.until(plural + " served in discovery of " + gv, CRD_TIMEOUT, () -> {
                var resources = client.getApiResources(gv);
                return resources != null && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
            });
        }
    }
}
