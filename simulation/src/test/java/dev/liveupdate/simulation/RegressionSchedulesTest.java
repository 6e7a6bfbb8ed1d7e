package dev.liveupdate.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shrunk schedules that once broke an invariant, kept as regression cases (docs/testing.md, "Findings"). */
class RegressionSchedulesTest {
    private static ScheduleRunner runner;

    @BeforeAll
    static void start() throws Exception {
        ProtocolSimulationTest.quiet();
        runner = new ScheduleRunner();
    }

    @AfterAll
    static void clean() {
        runner.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Invariant 2: an uncordon refused with a 500 was counted as done (ReadYourWrites), so the pass after it
        // cordoned a second node with maxUnavailable 1. Fixed in ActionExecutor: only an uncertain cordon counts.
        "-4482472167024369278/156/44:AGENT_CRASH:3:7,132:OPERATOR_WRITE_FAULT:1:3",
        // F3: an agent restart after the Rebooted instruction and before the kexec failed the node and held its budget for
        // ever. Fixed by the bounded re-prepare (PrepareRestarts, issue #14 item 4).
        "-1655110853862828106/57/29:OPERATOR_CRASH:6:5,56:AGENT_CRASH:0:6",
        // Invariant 3: the agent counted a file handed back when it gave the fd to the socket, and died before the send;
        // the restarted agent reported every session restored and FINISH dropped a file the workload never got. Fixed:
        // only WorkloadRequests.delivered (after the send) counts a token reclaimed.
        "-5980156295949680623/82/78:AGENT_DIES_AFTER_KERNEL_CALL:0:1",
        // Invariant 2 across plans (F5): plan two's node told to reboot under cordon Never still looked Ready and
        // schedulable, so plan one spent that slot. Fixed in UnavailabilityBudget (RebootingForAnotherPlan).
        "8020617669274716322/55/28:OPERATOR_DIES_MID_PASS:7:10,54:SECOND_PLAN:4:6",
        "-4056005567900757586/52/12:AGENT_WRITE_FAULT:6:8,24:SECOND_PLAN:2:1,30:NODE_DELETED_AND_READDED:1:8",
        // Invariant 2: a RebootTimeout freed the budget in the pass that decided it, the failure's ledger write lost a race
        // (409) with the agent's status write and the next node's Rebooted instruction landed. Fixed in HeldSettling.fail:
        // a new failure frees the budget from the next pass, once recorded.
        "3439756922613378428/138/70:EDIT_MAX_UNAVAILABLE:5:0,137:CLOCK_JUMP:6:9",
        // Invariant 2 across plans: plan two told a node Rebooted on top of its own ledger repair, the cache still showed the
        // version before both, and ReadYourWrites took it for a later one and dropped the write, so plan one cordoned a
        // node too many. Fixed: a write decided on our previous write stands in for every version that one did.
        "1474019903132008540/62/16:CORDONED_BY_PERSON:3:4,21:SECOND_PLAN:6:10,43:LEDGER_REMOVED_BY_HAND:5:11",
        // Invariant 2 across plans: a 25-minute wall-clock step expired ReadYourWrites' overlay of plan two's cordon the
        // cache had not shown yet, and plan one told a node to reboot over it. Fixed: the overlay ages on a monotonic
        // clock (a wall-clock step is not elapsed time; the simulation's CLOCK_JUMP now moves only the wall clock).
        "-3239800133052405260/71/13:SECOND_PLAN:0:4,64:LEDGER_REMOVED_BY_HAND:1:10,70:CLOCK_JUMP:6:1",
        // F1 (liveness): the Node deleted and registered again while its plan held it at Updated; the re-created object had
        // no instruction and nothing could tell the agent Finished. Fixed: the plan takes the restore back (OrphanedRestore).
        "-974081879987450628/318/119:NODE_DELETED_AND_READDED:6:4,317:SECOND_PLAN:6:5",
        // F1 through a cancel: a RebootTimeout decided on a clock jump while the node restored fine; the cancel cleared the
        // instruction and nothing could tell the agent Finished. Fixed in HeldSettling.heldFailed: the wind-down tells a
        // failed node whose agent reports this plan's restore Finished before letting go (it stays Failed).
        "847364891899018248/123/74:CLOCK_JUMP:4:1,121:CANCEL:1:3,122:SECOND_PLAN:1:1",
        // Harness: the workload holds a file once the socket sent it, before the agent's delivered bookkeeping, which may
        // lead straight into FINISH when a Finished instruction already waits (a cancelled plan's failed node, restoring).
        "5393627676030132464/170/108:AGENT_CRASH:6:9,124:CANCEL:2:7,142:SECOND_PLAN:0:8,143:OPERATOR_DIES_MID_PASS:5:6,148:CLOCK_JUMP:0:0",
        // F4 again: the re-creation's reply was lost (TIMEOUT_STORED); the agent retries ensureExists, finds the object and
        // republishes then (as AgentLifecycle does).
        "-5182589907783833715/216/45:NODE_DELETED_AND_READDED:1:2,97:DELETE_PLAN:2:2,125:AGENT_WRITE_FAULT:1:8,215:SECOND_PLAN:7:10",
        // F6 (liveness): a node failed after its Rebooted instruction (here: its ledger removed by hand, so it was never
        // verified) held the whole budget, cordoned for a person, and the plan waited for ever saying only "waiting for
        // unavailability budget". Fixed: the plan is Stalled (FailedNodesHoldBudget) naming the node and the way out; the
        // simulated person uncordons it, which puts it back in service (UnavailabilityBudget), and the rollout goes on.
        "-719411857050697432/95/94:LEDGER_REMOVED_BY_HAND:6:9",
        // F4 (liveness, agent): a LiveUpdateNode the agent re-created after its Node was deleted and registered again had
        // no status (the engine publishes only changes), so the operator saw the node NotCapable. Fixed:
        // KubeStatusSink.republish after the re-creation (AgentLifecycle; KubeStatusSinkIT).
        "3685600532042626541/249/122:NODE_DELETED_AND_READDED:5:2,248:SECOND_PLAN:0:1",
        // F6 across plans: plan one's failed node, left cordoned, held plan two's only unit of budget; plan two now names
        // it (FailedNodesHoldBudget) and the person's uncordon lets it go on.
        "8412025690199844647/106/60:CORDONED_BY_PERSON:7:1,75:SECOND_PLAN:0:11,105:CLOCK_JUMP:4:8",
        // Harness: a person's cordon binds once the operator can have seen it; its cache still showed the operator's own
        // cordon, which it had taken back (ReadYourWrites), and that was taken for the person's.
        "-2670602174107017783/192/82:SECOND_PLAN:2:7,129:AGENT_WRITE_FAULT:3:0,188:CORDONED_BY_PERSON:0:1",
        // Harness: a registration whose request went on into the kexec has no reply; invariant 1 now reads what the
        // agent preserved instead of what the workload heard back.
        "-3949365318258856637/125/2:AGENT_WRITE_FAULT:6:3,124:AGENT_CRASH:1:3",
        // Harness: a skipped node (JoinedAfterStart: its Node was deleted and registered after the plan started) is done
        // for the plan when the run settles, as the plan counts it.
        "5225139293308773546/128/7:SECOND_PLAN:4:6,127:NODE_DELETED_AND_READDED:7:0",
        // Harness: an agent death after the kexec lost a file (answered LOST, node Failed SessionsLost, accepted: the
        // sessions die with the process that retrieved them); the workload no longer waits for that file.
        "-8535611830167902728/216/80:AGENT_WRITE_FAULT:7:6,183:SECOND_PLAN:0:9,215:AGENT_CRASH:2:1",
    })
    void theScheduleNowKeepsEveryInvariant(String replay) {
        Simulation.Result r = runner.run(Schedule.parse(replay));
        assertThat(r.violation()).as("%s%n%s", replay, r.summary()).isNull();
    }
}
