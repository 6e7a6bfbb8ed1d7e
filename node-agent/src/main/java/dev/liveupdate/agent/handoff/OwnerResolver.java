package dev.liveupdate.agent.handoff;

/** Works out which {@link Owner} a connected process belongs to. */
public interface OwnerResolver {

    /**
     * @param pid the peer's pid as SO_PEERCRED gives it in the agent's PID namespace (0 when the peer's process is not
     *            visible there)
     * @throws UnknownOwnerException with a reason a person can act on, when the owner cannot be told
     */
    Owner ownerOf(long pid, long uid) throws UnknownOwnerException;

    /** The owner cannot be told; the peer is refused. */
    final class UnknownOwnerException extends Exception {
        public UnknownOwnerException(String message) {
            super(message);
        }
    }
}
