package dev.liveupdate.operator.planning;

import java.time.Instant;

/**
 * The soak: a wave starts, and reboots in it begin, only once {@code strategy.soakTime} has passed since the waves
 * before it last settled, so a bad kernel shows itself on few nodes first.
 */
final class Soak {
    private final PassContext pass;

    Soak(PassContext pass) {
        this.pass = pass;
    }

    /** When the waves below {@code wave} last settled (null when nothing is known). */
    Instant settledBefore(int wave) {
        Instant last = null;
        for (Tracked t : pass.tracked) {
            if (t.wave > 0 && t.wave < wave && t.settledAt != null && (last == null || t.settledAt.isAfter(last))) {
                last = t.settledAt;
            }
        }
        return last;
    }

    /** Whether {@code wave} may go on; when not, the pass wakes at the soak's end and says it waits for it. */
    boolean soaked(int wave) {
        Instant last = settledBefore(wave);
        if (last == null || pass.settings.soak().isZero()) {
            return true;
        }
        Instant end = last.plus(pass.settings.soak());
        if (pass.now.isBefore(end)) {
            pass.wakeAt(end);
            pass.waitingFor = "soaking until " + end;
            pass.soakUntil = end;
            return false;
        }
        return true;
    }
}
