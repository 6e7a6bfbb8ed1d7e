package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.sys.HostInfo;

/** HostInfo of the simulated machine: boot ID, release and cmdline of the current simulated boot. */
final class SimulatedHostInfo implements HostInfo {
    private final StateStore store;

    SimulatedHostInfo(StateStore store) {
        this.store = store;
    }

    @Override
    public String bootId() {
        return store.boot().bootId();
    }

    @Override
    public String kernelRelease() {
        return store.boot().release();
    }

    @Override
    public String kernelCmdline() {
        return store.boot().cmdline();
    }
}
