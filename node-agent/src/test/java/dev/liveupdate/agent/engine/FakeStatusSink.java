package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import java.util.ArrayList;
import java.util.List;

/** Records every status; can be told to refuse acknowledged writes (an API server that is down). */
final class FakeStatusSink implements StatusSink {
    final List<LiveUpdateNodeStatus> published = new ArrayList<>();
    boolean refuseAcknowledged;

    @Override
    public void publish(LiveUpdateNodeStatus status) {
        published.add(status);
    }

    @Override
    public void publishAndWait(LiveUpdateNodeStatus status) throws Exception {
        if (refuseAcknowledged) {
            throw new java.io.IOException("API server unreachable (test)");
        }
        published.add(status);
    }

    LiveUpdateNodeStatus last() {
        return published.isEmpty() ? null : published.get(published.size() - 1);
    }
}
