package dev.liveupdate.luo.conformance;

/** The outcome of one scenario (or one stage of a kexec scenario). */
public record Result(String name, boolean passed, String reason) {
    static Result pass(String name) {
        return new Result(name, true, null);
    }

    static Result fail(String name, Throwable t) {
        String reason = t instanceof ScenarioFailure ? t.getMessage() : t.toString();
        return new Result(name, false, reason);
    }

    /** "PASS name" or "FAIL name: reason". */
    public String line() {
        return passed ? "PASS " + name : "FAIL " + name + ": " + reason;
    }
}
