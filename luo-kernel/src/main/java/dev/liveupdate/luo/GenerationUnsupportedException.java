package dev.liveupdate.luo;

/**
 * The operation does not exist in the bound ABI generation (e.g. UNPRESERVE_FD or global state on
 * generation B). Thrown before anything is sent to the kernel.
 */
public final class GenerationUnsupportedException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    private final Generation generation;

    public GenerationUnsupportedException(Generation generation, String operation, String explanation) {
        super(operation + " is not available on generation " + generation + ": " + explanation);
        this.generation = generation;
    }

    public Generation generation() {
        return generation;
    }
}
