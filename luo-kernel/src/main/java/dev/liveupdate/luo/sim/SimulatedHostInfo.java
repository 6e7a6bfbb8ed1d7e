package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KexecPolicyFiles;
import java.nio.file.Path;

/**
 * HostInfo of the simulated machine: boot ID, release and cmdline of the current simulated boot. The kexec policy
 * comes from files a test may write in the machine's state directory ({@link #policyFile}): {@code lockdown} (as
 * securityfs shows it, e.g. "none [integrity] confidentiality"), {@code config} (kernel config lines) and
 * {@code kexec_load_disabled} ("0"/"1"); without them the simulated kernel is unlocked, unsigned kexec allowed.
 */
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

    /** Where a test writes one of the simulated kernel's policy files (lockdown, config, kexec_load_disabled). */
    static Path policyFile(Path stateDir, String name) {
        return stateDir.resolve("host-policy").resolve(name);
    }

    @Override
    public String lockdown() {
        String mode = KexecPolicyFiles.lockdown(policyFile(store.dir(), "lockdown"));
        return mode == null ? "none" : mode;
    }

    @Override
    public Boolean kexecSignatureEnforced() {
        Boolean v = KexecPolicyFiles.configOption(policyFile(store.dir(), "config"), "CONFIG_KEXEC_SIG_FORCE");
        return v == null ? Boolean.FALSE : v;
    }

    @Override
    public Boolean kexecLoadDisabled() {
        Boolean v = KexecPolicyFiles.flag(policyFile(store.dir(), "kexec_load_disabled"));
        return v == null ? Boolean.FALSE : v;
    }
}
