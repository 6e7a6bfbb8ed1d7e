package dev.liveupdate.operator.planning;

import java.util.Comparator;

/**
 * Orders kernel releases as `sort -V` and package managers do: runs of digits compare as numbers, everything else
 * character by character, so 7.10.0 is newer than 7.9.3 and 7.2.0-12-amd64 newer than 7.2.0-9-amd64. A string
 * comparison would call 7.10 older than 7.9, and "already at target" as string equality moves a node that runs a
 * newer kernel back to an older one (safety invariant 9).
 */
public final class KernelReleaseOrder implements Comparator<String> {
    public static final KernelReleaseOrder INSTANCE = new KernelReleaseOrder();

    private KernelReleaseOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = digitsEnd(a, i);
                int ej = digitsEnd(b, j);
                int c = compareNumbers(a.substring(i, ei), b.substring(j, ej));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.isDigit(ca) ? 1 : Character.isDigit(cb) ? -1 : Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** True when {@code running} is a newer release than {@code target}. */
    public static boolean newer(String running, String target) {
        return running != null && target != null && INSTANCE.compare(running, target) > 0;
    }

    private static int digitsEnd(String s, int from) {
        int k = from;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

    private static int compareNumbers(String x, String y) {
        String a = x.replaceFirst("^0+(?=.)", "");
        String b = y.replaceFirst("^0+(?=.)", "");
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
