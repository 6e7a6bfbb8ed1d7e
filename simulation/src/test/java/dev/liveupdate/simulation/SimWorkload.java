package dev.liveupdate.simulation;

import dev.liveupdate.agent.handoff.Owner;
import dev.liveupdate.agent.handoff.Peer;
import dev.liveupdate.client.protocol.ErrorCode;
import dev.liveupdate.client.protocol.ProtocolException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The pod on one node that keeps its memory across the kernel update: memfds with known bytes in session "vm". It
 * registers them with every new agent process (as the client library does on reconnect), and after a kexec asks for
 * each one back and compares it byte for byte.
 */
final class SimWorkload {
    static final String SESSION = "vm";

    final Peer peer;
    /** What each file must hold. */
    final Map<Long, byte[]> content = new LinkedHashMap<>();
    /** The workload's own fd per file in the running kernel (absent after a kexec until it got the file back). */
    final Map<Long, Integer> fds = new LinkedHashMap<>();
    /** Files the current agent process accepted. */
    final Set<Long> accepted = new LinkedHashSet<>();
    /** Files the agent held when the node kexec'd: the ones the new kernel must give back. */
    final Set<Long> handedOver = new LinkedHashSet<>();
    final Set<Long> retrieved = new LinkedHashSet<>();
    /** Files the agent answered LOST for. */
    final Set<Long> lost = new LinkedHashSet<>();

    SimWorkload(String node, Random rnd, KernelCalls libc) {
        this.peer = new Peer(7000, 1000, 1000, new long[] {1000}, Owner.pod("pod-uid-" + node));
        int files = 1 + rnd.nextInt(2);
        for (long token = 1; token <= files; token++) {
            byte[] b = new byte[64 + rnd.nextInt(4000)];
            rnd.nextBytes(b);
            content.put(token, b);
            int fd = libc.memfdCreate("vm-" + token, 0);
            libc.write(fd, b, b.length);
            fds.put(token, fd);
        }
    }

    /** Whether the workload waits for files back from a kexec (a file the agent answered LOST is not coming back). */
    boolean awaitingRestore() {
        return handedOver.stream().anyMatch(token -> !retrieved.contains(token) && !lost.contains(token));
    }

    /** Hands every file not yet accepted to the agent (each as a new fd, as SCM_RIGHTS gives one). */
    void register(SimAgent agent, KernelCalls libc) {
        if (awaitingRestore()) {
            return;
        }
        for (Map.Entry<Long, Integer> f : fds.entrySet()) {
            if (accepted.contains(f.getKey())) {
                continue;
            }
            int dup = libc.dup(f.getValue());
            try {
                agent.engineCall(() -> {
                    agent.engine.preserve(peer, SESSION, f.getKey(), dup);
                    return null;
                });
                accepted.add(f.getKey());
            } catch (ProtocolException e) {
                if (e.code() == ErrorCode.DUPLICATE_TOKEN || agent.kexeced && tookIntoTheKexec(agent, f.getKey())) {
                    accepted.add(f.getKey());
                }
                if (agent.kexeced) {
                    return; // the process is gone: no more registrations with it
                }
            }
        }
    }

    /**
     * The request that registered the file went on to the kexec (the agent reconciles after each registration), so the
     * reply never came; a real VMM asks for everything it registered after the reboot. What the dead agent's table
     * held as Preserved is what went into the kernel.
     */
    private boolean tookIntoTheKexec(SimAgent agent, long token) {
        return agent.engine.status(peer, SESSION).file(SESSION, token)
                .map(e -> e.state() == dev.liveupdate.client.protocol.FileState.Preserved).orElse(false);
    }

    /** Whether the agent holds any of this workload's files preserved in the kernel's session. */
    boolean inTheKernel(SimAgent agent) {
        return content.keySet().stream().anyMatch(token -> tookIntoTheKexec(agent, token));
    }

    /** The node kexec'd: the workload's memory in the old kernel is gone; what the agent held must come back. */
    void kexecd() {
        handedOver.clear();
        handedOver.addAll(accepted);
        accepted.clear();
        retrieved.clear();
        lost.clear();
        fds.clear();
    }

    /** The agent process died: it holds nothing of this workload any more. */
    void agentDied() {
        accepted.clear();
    }

    /**
     * Asks for the next file back; returns a violation when bytes differ, else null.
     */
    String retrieve(SimAgent agent, KernelCalls libc) {
        for (Long token : handedOver) {
            if (retrieved.contains(token) || lost.contains(token)) {
                continue;
            }
            int fd;
            try {
                // Two calls, as over the socket: the agent may die between handing out the fd and hearing it was sent.
                fd = agent.engineCall(() -> agent.engine.retrieveToSend(peer, SESSION, token));
            } catch (ProtocolException e) {
                if (e.code() == ErrorCode.LOST) {
                    lost.add(token);
                }
                return null;
            }
            byte[] want = content.get(token);
            byte[] got = new byte[want.length + 1];
            int n = libc.pread(fd, got, got.length, 0);
            if (n != want.length || !Arrays.equals(want, Arrays.copyOf(got, n))) {
                return "preserved bytes changed: token " + token + " came back with " + n + " bytes, not the " + want.length
                        + " handed over (or different content)";
            }
            // The workload holds the fd once the socket sent it, before the agent hears so (delivered may lead straight
            // into FINISH when a Finished instruction already waits).
            retrieved.add(token);
            fds.put(token, fd);
            delivered(agent, token);
            return null;
        }
        return null;
    }

    /** The socket sent the fd: the workload holds it whatever becomes of the agent after this. */
    private void delivered(SimAgent agent, long token) {
        try {
            agent.engineCall(() -> {
                agent.engine.delivered(peer, SESSION, token);
                return null;
            });
        } catch (ProtocolException e) {
            // the agent died after the send: the file is the workload's, the new agent finds it unaccounted for
        }
    }
}
