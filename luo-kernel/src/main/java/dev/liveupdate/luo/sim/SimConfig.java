package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sys.Errno;
import java.util.function.IntConsumer;

/** The knobs of one simulated machine (see SimulatedKernel.Builder). B limits come from the revision unless overridden. */
record SimConfig(Generation generation, String initialRelease, String initialCmdline, LuoRevision revision,
        int sessionLimit, Errno sessionLimitErrno, int filesPerSession, Errno filesLimitErrno, boolean getName,
        boolean luoAvailable, IntConsumer exitAction) {}
