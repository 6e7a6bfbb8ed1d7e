package dev.liveupdate.agent.kernel;

/** Records each kernel call: which call, its result ("ok" or the errno name) and how long it took. */
public interface KernelCallMetrics {
    KernelCallMetrics NONE = (call, result, nanos) -> { };

    void record(String call, String result, long nanos);
}
