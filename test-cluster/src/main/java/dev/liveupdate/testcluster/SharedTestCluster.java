package dev.liveupdate.testcluster;

/**
 * One {@link TestCluster} per JVM (the failsafe fork), with the repository's CRDs installed, for test classes that
 * can share a control plane: it saves the start-up per class. Tests must use unique object names. It stops in a
 * JVM shutdown hook; do not close it yourself.
 */
public final class SharedTestCluster {
    private static TestCluster instance;

    private SharedTestCluster() {
    }

    /** The shared cluster, started on first use. */
    public static synchronized TestCluster get() {
        if (instance == null || instance.isClosed()) {
            instance = TestCluster.builder().withRepoCrds().start();
        }
        return instance;
    }
}
