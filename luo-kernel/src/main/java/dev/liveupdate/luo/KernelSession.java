package dev.liveupdate.luo;

import dev.liveupdate.luo.sys.KernelCalls;

/** A session fd of either generation: its name as created or retrieved, and which way it goes. */
abstract class KernelSession extends KernelFile implements LuoSession {
    protected final String name;
    private final boolean incoming;

    KernelSession(KernelCalls calls, int fd, Generation generation, String name, boolean incoming) {
        super(calls, fd, generation);
        this.name = name;
        this.incoming = incoming;
    }

    @Override
    public boolean incoming() {
        return incoming;
    }

    @Override
    protected String what() {
        return "session '" + name + "'";
    }
}
