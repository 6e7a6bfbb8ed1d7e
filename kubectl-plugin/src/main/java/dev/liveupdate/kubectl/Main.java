package dev.liveupdate.kubectl;

/** The executable's entry point (bin/kubectl-liveupdate runs java -jar kubectl-liveupdate.jar). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Fabric8 logs through SLF4J: warnings and errors only, on stderr, so stdout stays the command's output.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // Not news to a user of liveupdate.dev/v1alpha1: Fabric8 warns on every use of an alpha version.
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
        System.exit(LiveUpdateCommand.commandLine().execute(args));
    }
}
