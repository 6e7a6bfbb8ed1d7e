package dev.liveupdate.agent.handoff;

import dev.liveupdate.client.protocol.Notice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The workload connections that subscribed to notices, and what they acknowledged. Connection threads add, remove and
 * acknowledge; the engine thread sends freeze and waits ({@code FreezeBarrier}), so everything here is guarded by this
 * object's monitor and every change wakes a waiter. Also keeps the {@code resumed} notice of this boot: a workload that
 * subscribes after the live update gets it at once.
 */
public final class WorkloadSubscribers {
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    /** Per subscriber, the freeze ids it acknowledged (only the current freeze matters; old ids are dropped). */
    private final Map<Subscriber, Long> lastAck = new HashMap<>();
    private Notice resumed;

    /**
     * A connection subscribed (again: listed once).
     *
     * @return this boot's resumed notice for it to send after its subscribe reply, or null
     */
    public synchronized Notice add(Subscriber s) {
        subscribers.add(s);
        notifyAll();
        return resumed;
    }

    /** The connection ended: nothing is waited for from it any more. */
    public synchronized void remove(Subscriber s) {
        subscribers.remove(s);
        lastAck.remove(s);
        notifyAll();
    }

    public synchronized void acked(Subscriber s, long freezeId) {
        if (subscribers.contains(s)) {
            lastAck.put(s, freezeId);
            notifyAll();
        }
    }

    public synchronized List<Subscriber> current() {
        return new ArrayList<>(subscribers);
    }

    /**
     * Waits until each of {@code told} acknowledged freeze {@code freezeId} or ended its connection, or until
     * {@code deadlineNanos} ({@link System#nanoTime()}) passed. Checking and waiting happen under one monitor, so an
     * ack or hang-up between the two is never missed.
     *
     * @return who neither acknowledged nor went away (empty: all done)
     */
    public synchronized List<Subscriber> awaitAcks(List<Subscriber> told, long freezeId, long deadlineNanos) throws InterruptedException {
        while (true) {
            List<Subscriber> missing = new ArrayList<>();
            for (Subscriber s : told) {
                Long a = lastAck.get(s);
                if (subscribers.contains(s) && (a == null || a != freezeId)) {
                    missing.add(s);
                }
            }
            long left = deadlineNanos - System.nanoTime();
            if (missing.isEmpty() || left <= 0) {
                return missing;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Sends {@code notice} to every subscriber (outside the monitor: a slow peer never holds up acks of the others). */
    public void broadcast(Notice notice) {
        for (Subscriber s : current()) {
            s.send(notice);
        }
    }

    /**
     * This boot came out of a live update: tells the current subscribers and every later one. Repeated calls with the
     * same boot send nothing new.
     */
    public void resumed(Notice notice) {
        synchronized (this) {
            if (resumed != null && resumed.toString().equals(notice.toString())) {
                return;
            }
            resumed = notice;
        }
        broadcast(notice);
    }
}
