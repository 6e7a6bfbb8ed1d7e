package dev.liveupdate.operator.k8s;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The namespaces where the operator may look for blocker pods (setting {@code liveupdate.operator.blocker-namespaces},
 * chart value {@code operator.blockerNamespaces}). Empty: every namespace, with a ClusterRole to list pods. Non-empty:
 * only these, with a Role in each, so the operator's token cannot list pods elsewhere. A blocker's own
 * {@code namespaces} narrow the search further; a namespace outside the setting cannot be searched, and a blocker that
 * cannot be checked holds its node back (fail closed: never a kexec next to a blocker pod the operator could not see).
 */
public final class BlockerNamespaces {
    /** Every namespace (the ClusterRole case). */
    public static final BlockerNamespaces EVERYWHERE = new BlockerNamespaces(List.of());

    /**
     * Where to look for one blocker's pods.
     *
     * @param anyNamespace list across all namespaces (then {@code namespaces} is empty)
     * @param namespaces   the namespaces to list in, one by one
     * @param outside      the blocker's namespaces the operator may not search
     */
    public record Lookup(boolean anyNamespace, List<String> namespaces, List<String> outside) {
    }

    private final List<String> allowed;

    private BlockerNamespaces(List<String> allowed) {
        this.allowed = allowed;
    }

    /** From the setting: blanks dropped, names trimmed, duplicates removed, order kept. */
    public static BlockerNamespaces of(Optional<List<String>> setting) {
        Set<String> names = new LinkedHashSet<>();
        setting.orElse(List.of()).stream().filter(n -> n != null && !n.isBlank()).map(String::trim)
                .forEach(names::add);
        return new BlockerNamespaces(List.copyOf(names));
    }

    public boolean everywhere() {
        return allowed.isEmpty();
    }

    public List<String> allowed() {
        return allowed;
    }

    /** Where to look for a blocker whose spec names {@code blockerNamespaces} (null or empty: any namespace). */
    public Lookup lookup(List<String> blockerNamespaces) {
        boolean anyOfTheBlocker = blockerNamespaces == null || blockerNamespaces.isEmpty();
        if (anyOfTheBlocker) {
            return everywhere() ? new Lookup(true, List.of(), List.of()) : new Lookup(false, allowed, List.of());
        }
        List<String> in = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (String ns : new LinkedHashSet<>(blockerNamespaces)) {
            (everywhere() || allowed.contains(ns) ? in : outside).add(ns);
        }
        return new Lookup(false, List.copyOf(in), List.copyOf(outside));
    }
}
