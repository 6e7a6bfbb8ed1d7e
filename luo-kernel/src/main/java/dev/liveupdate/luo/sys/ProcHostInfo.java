package dev.liveupdate.luo.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HostInfo of the running kernel. The release comes from /proc/sys/kernel/osrelease, which is the
 * same string uname(2) returns in utsname.release (it is in the caller's UTS namespace either way).
 */
public final class ProcHostInfo implements HostInfo {
    private final Path proc;

    public ProcHostInfo() {
        this(Path.of("/proc"));
    }

    /** @param proc where procfs is mounted (tests pass a fake tree) */
    public ProcHostInfo(Path proc) {
        this.proc = proc;
    }

    @Override
    public String bootId() {
        return read("sys/kernel/random/boot_id");
    }

    @Override
    public String kernelRelease() {
        return read("sys/kernel/osrelease");
    }

    @Override
    public String kernelCmdline() {
        return read("cmdline");
    }

    @Override
    public String lockdown() {
        return KexecPolicyFiles.lockdown(proc.resolveSibling("sys").resolve("kernel/security/lockdown"));
    }

    @Override
    public Boolean kexecSignatureEnforced() {
        return KexecPolicyFiles.configOption(proc.resolve("config.gz"), "CONFIG_KEXEC_SIG_FORCE");
    }

    @Override
    public Boolean kexecLoadDisabled() {
        return KexecPolicyFiles.flag(proc.resolve("sys/kernel/kexec_load_disabled"));
    }

    private String read(String relative) {
        try {
            return Files.readString(proc.resolve(relative)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc.resolve(relative), e);
        }
    }
}
