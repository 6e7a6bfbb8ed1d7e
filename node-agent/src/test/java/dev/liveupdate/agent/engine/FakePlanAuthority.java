package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.NodeInstruction;
import java.util.ArrayList;
import java.util.List;

/** The API server's answer about plans, set by the test; records what the engine asked. */
class FakePlanAuthority implements PlanAuthority {
    volatile Answer answer = Answer.confirmed("operator");
    final List<NodeInstruction> asked = new ArrayList<>();

    @Override
    public Answer confirm(NodeInstruction instruction) {
        asked.add(instruction);
        return answer;
    }

    void confirm() {
        answer = Answer.confirmed("liveupdate-operator");
    }

    void refuse(String why) {
        answer = Answer.refused(why, "kubectl-edit");
    }

    void unreachable() {
        answer = Answer.unconfirmed("connection refused");
    }
}
