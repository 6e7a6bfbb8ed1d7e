package dev.liveupdate.operator.planning;

import java.util.Comparator;

/**
 * The order in which a plan takes nodes: by node name (plain string order, as {@code kubectl get nodes} lists them).
 * Stable across restarts and predictable for people and pipelines; a node joining later is taken in the next wave
 * that starts. To spread waves over racks or zones, select with labels, or name nodes so the order interleaves.
 */
public final class RolloutOrder {
    public static final Comparator<Tracked> BY_NAME = Comparator.comparing(Tracked::name);

    private RolloutOrder() {
    }
}
