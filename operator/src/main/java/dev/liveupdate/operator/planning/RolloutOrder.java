package dev.liveupdate.operator.planning;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order in which a plan takes nodes: by a 64-bit FNV-1a hash of "planUid/nodeName", ties broken by name. Stable
 * for one plan (restarts, nodes joining or leaving do not reshuffle the others), spreads consecutive names (racks,
 * zones) over the waves, and differs between plans so two plans do not hammer the same nodes first.
 */
public final class RolloutOrder {
    private RolloutOrder() {
    }

    public static long key(String planUid, String nodeName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (planUid + "/" + nodeName).getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    public static Comparator<String> comparator(String planUid) {
        return (a, b) -> {
            int c = Long.compareUnsigned(key(planUid, a), key(planUid, b));
            return c != 0 ? c : a.compareTo(b);
        };
    }
}
