package dev.liveupdate.luo.sim;

import java.util.List;
import java.util.Properties;

/**
 * What a generation hands to the next kernel at reboot(KEXEC): the sessions to serialize (empty
 * when nothing is handed over) and the next boot's initial state.properties.
 */
record RebootPlan(boolean handover, List<SimSession> sessions, Properties nextState) {}
