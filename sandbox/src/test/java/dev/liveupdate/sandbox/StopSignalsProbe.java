package dev.liveupdate.sandbox;

/** A JVM that reclaims the stop signals as the sandbox does, then waits; its shutdown hook says it ran. */
public final class StopSignalsProbe {
    private StopSignalsProbe() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.out.println("reclaimed " + StopSignals.reclaim());
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold on until a signal ends this JVM
        }
    }
}
