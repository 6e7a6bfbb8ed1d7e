package dev.liveupdate.luo.sim;

import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who retrieved which incoming session, persisted in state.properties as {@code incoming.N}:
 * "available", "claimed PID START INSTANCE" or "gone". A claim whose process (or, inside one JVM,
 * whose simulator instance) has died counts as gone: its session fd closed with it.
 */
final class Claims {
    enum Status { AVAILABLE, CLAIMED, GONE }

    /** Simulator instances alive in this JVM (an instance dies at kexec or simulated process death). */
    private static final Set<String> LIVE_INSTANCES = ConcurrentHashMap.newKeySet();

    private Claims() {}

    static void register(String instanceId) {
        LIVE_INSTANCES.add(instanceId);
    }

    static void unregister(String instanceId) {
        LIVE_INSTANCES.remove(instanceId);
    }

    static String key(int index) {
        return "incoming." + index;
    }

    static String claimBy(String instanceId) {
        ProcessHandle self = ProcessHandle.current();
        return "claimed " + self.pid() + " " + startMillis(self) + " " + instanceId;
    }

    static Status status(Properties state, int index) {
        String value = state.getProperty(key(index), "available");
        if (value.equals("available")) {
            return Status.AVAILABLE;
        }
        if (value.startsWith("claimed ")) {
            String[] parts = value.split(" ");
            return alive(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3]) ? Status.CLAIMED : Status.GONE;
        }
        return Status.GONE;
    }

    private static boolean alive(long pid, long start, String instanceId) {
        ProcessHandle self = ProcessHandle.current();
        if (pid == self.pid()) {
            return LIVE_INSTANCES.contains(instanceId);
        }
        Optional<ProcessHandle> other = ProcessHandle.of(pid);
        return other.isPresent() && other.get().isAlive() && startMillis(other.get()) == start;
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }
}
