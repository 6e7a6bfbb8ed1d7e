package dev.liveupdate.luo.conformance;

/** A scenario's expectation did not hold. */
public final class ScenarioFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioFailure(String message) {
        super(message);
    }
}
