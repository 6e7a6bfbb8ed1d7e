package dev.liveupdate.agent.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.agent.engine.EventSink;
import dev.liveupdate.agent.engine.PlanAuthority;
import dev.liveupdate.agent.engine.StatusSink;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodePhase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRelayTest {
    private final List<String> written = new ArrayList<>();
    private final StatusSink api = new StatusSink() {
        @Override
        public void publish(LiveUpdateNodeStatus status) {
            written.add("status " + status.getPhase());
        }

        @Override
        public void publishAndWait(LiveUpdateNodeStatus status) {
            written.add("acknowledged " + status.getPhase());
        }
    };
    private final EventSink events = (warning, reason, message) -> written.add("event " + reason);

    private static LiveUpdateNodeStatus status(NodePhase phase) {
        LiveUpdateNodeStatus s = new LiveUpdateNodeStatus();
        s.setPhase(phase);
        return s;
    }

    @Test
    void beforeTheApiServerOnlyTheNewestStatusWaitsAndEventsKeepTheirOrder() {
        ApiRelay relay = new ApiRelay();
        relay.publish(status(NodePhase.Restoring));
        relay.event(false, "Restoring", "waiting for vm");
        relay.publish(status(NodePhase.Updated));
        relay.event(false, "Updated", "restored");
        assertThat(written).isEmpty();

        relay.attach(api, events, i -> PlanAuthority.Answer.confirmed("test"));

        assertThat(written).containsExactly("event Restoring", "event Updated", "status Updated");
        relay.publish(status(NodePhase.Finished));
        assertThat(written).last().isEqualTo("status Finished");
    }

    @Test
    void noPlanIsConfirmedBeforeTheApiServerIsReached() {
        ApiRelay relay = new ApiRelay();
        assertThat(relay.confirm(new NodeInstruction()).verdict()).isEqualTo(PlanAuthority.Verdict.UNCONFIRMED);

        relay.attach(api, events, i -> PlanAuthority.Answer.refused("gone", null));

        assertThat(relay.confirm(new NodeInstruction()).verdict()).isEqualTo(PlanAuthority.Verdict.REFUSED);
    }

    @Test
    void eventsBeyondTheLimitAreDroppedNotKept() {
        ApiRelay relay = new ApiRelay();
        for (int i = 0; i < ApiRelay.MAX_PENDING_EVENTS + 5; i++) {
            relay.event(false, "E" + i, "m");
        }
        relay.attach(api, events, PlanAuthority.STANDALONE);
        assertThat(written).hasSize(ApiRelay.MAX_PENDING_EVENTS).first().isEqualTo("event E0");
    }

    @Test
    void anAcknowledgedWriteGoesToTheApiServerOnceAttached() throws Exception {
        ApiRelay relay = new ApiRelay();
        relay.attach(api, events, PlanAuthority.STANDALONE);
        relay.publishAndWait(status(NodePhase.Rebooting));
        assertThat(written).containsExactly("acknowledged Rebooting");
    }
}
