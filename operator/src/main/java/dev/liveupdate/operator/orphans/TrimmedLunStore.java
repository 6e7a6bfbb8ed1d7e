package dev.liveupdate.operator.orphans;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.operator.k8s.LunTrimmer;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/** The cache of this controller's LiveUpdateNodes, trimmed as the planner's is (no managedFields, no sessions). */
public class TrimmedLunStore extends TransformingItemStore<LiveUpdateNode> {
    public TrimmedLunStore() {
        super(new LunTrimmer());
    }
}
