package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import java.util.function.IntConsumer;

/** The knobs of one simulated machine (see SimulatedKernel.Builder). */
record SimConfig(Generation generation, String initialRelease, String initialCmdline, int sessionLimit,
        int filesPerSession, boolean getName, boolean luoAvailable, IntConsumer exitAction) {}
