package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.ErrnoException;

/** open(/dev/liveupdate) failed with ENOENT (or ENODEV/ENXIO): this node has no LUO. */
public final class LuoUnavailableException extends LuoException {
    private static final long serialVersionUID = 1L;

    public LuoUnavailableException(String operation, ErrnoException cause) {
        super(operation, cause, "this kernel has no Live Update Orchestrator: it needs CONFIG_LIVEUPDATE,"
                + " CONFIG_KEXEC_HANDOVER and CONFIG_LIVEUPDATE_MEMFD and must be booted with"
                + " 'kho=on liveupdate=on' (or built with KEXEC_HANDOVER_ENABLE_DEFAULT);"
                + " the node cannot do a live update until it runs such a kernel");
    }
}
