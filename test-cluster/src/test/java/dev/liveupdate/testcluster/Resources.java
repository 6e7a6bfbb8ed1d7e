package dev.liveupdate.testcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Untyped LiveUpdate / LiveUpdateNode objects for tests that must send exactly the (invalid) values they name. */
final class Resources {
    static final String API_VERSION = "liveupdate.dev/v1alpha1";

    private Resources() {
    }

    static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> plans(
            KubernetesClient c) {
        return c.genericKubernetesResources(API_VERSION, "LiveUpdate");
    }

    static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> nodes(
            KubernetesClient c) {
        return c.genericKubernetesResources(API_VERSION, "LiveUpdateNode");
    }

    /** A valid minimal plan: every node, one kernel, one session. */
    static GenericKubernetesResource plan(String name) {
        return parse("""
                apiVersion: liveupdate.dev/v1alpha1
                kind: LiveUpdate
                metadata:
                  name: %s
                spec:
                  nodeSelector:
                    matchLabels:
                      pool: kvm
                  kernel:
                    release: 7.2.0-1-amd64
                    image: /boot/vmlinuz-7.2.0-1-amd64
                  sessions:
                    - name: vm-memory
                """.formatted(name));
    }

    /** A LiveUpdateNode for {@code node} without an instruction. */
    static GenericKubernetesResource liveUpdateNode(String name, String nodeName) {
        return parse("""
                apiVersion: liveupdate.dev/v1alpha1
                kind: LiveUpdateNode
                metadata:
                  name: %s
                spec:
                  nodeName: %s
                """.formatted(name, nodeName));
    }

    /** An instruction of plan (name, uid) asking for {@code step}. */
    static Map<String, Object> instruction(String plan, String uid, String step) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("plan", Map.of("name", plan, "uid", uid, "generation", 1));
        i.put("kernel", Map.of("release", "7.2.0-1-amd64", "image", "/boot/vmlinuz-7.2.0-1-amd64"));
        i.put("sessions", List.of(Map.of("name", "vm-memory")));
        i.put("step", step);
        return i;
    }

    static GenericKubernetesResource parse(String yaml) {
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    /** Sets a value at a dotted path below the object's top level (e.g. "spec.strategy.maxUnavailable"), creating maps on the way. */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource set(GenericKubernetesResource r, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = r.getAdditionalProperties();
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = m.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                m.put(parts[i], next);
            }
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) next);
            m.put(parts[i], copy);
            m = copy;
        }
        m.put(parts[parts.length - 1], value);
        return r;
    }

    /** The value at a dotted path, or null. */
    @SuppressWarnings("unchecked")
    static Object get(GenericKubernetesResource r, String path) {
        Object cur = r.getAdditionalProperties();
        for (String p : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(p);
            } else if (cur instanceof List<?> l) {
                cur = l.get(Integer.parseInt(p));
            } else {
                return null;
            }
        }
        return cur;
    }

    static List<Map<String, Object>> sessions(String... names) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (String n : names) {
            l.add(new LinkedHashMap<>(Map.of("name", n)));
        }
        return l;
    }

    /** Runs {@code call}, expects the API server to refuse it with {@code code}, and returns the server's message. */
    static String rejected(int code, Executable call) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, call);
        assertThat(e.getCode()).as("HTTP status of: %s", e.getMessage()).isEqualTo(code);
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
