package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoSession;
import java.util.List;
import java.util.Set;

/**
 * A scenario across a kexec. Stage 1 (one process, old kernel): {@link #beforeKexec} for every
 * scenario, then (A) PREPARE and {@link #afterPrepare}, then one kexec for all of them. Stage 2
 * (a new process in the new kernel): {@link #afterKexec} for every scenario, then the
 * generation's FINISH over all retrieved sessions, then {@link #afterFinish}.
 */
public interface KexecScenario {
    String name();

    Set<Generation> generations();

    /** Creates and fills sessions; records expectations in the hand-off. Sessions stay open (the runner holds them). */
    void beforeKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception;

    /** A only: after the global PREPARE, before the kexec. */
    default void afterPrepare(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {}

    /** Retrieves and verifies; returns the sessions it retrieved, for the FINISH step. */
    List<LuoSession> afterKexec(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception;

    /** After FINISH (A: global, B: per retrieved session). */
    default void afterFinish(ScenarioContext ctx, LuoDevice device, Handoff handoff) throws Exception {}
}
