package dev.liveupdate.client.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** "--name value" and "--flag" options after a subcommand; enough for lu-client, no framework needed. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(List<String> args, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument " + a);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (flags.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.size()) {
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
        }
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    long token() {
        try {
            return Long.parseUnsignedLong(required("token"));
        } catch (NumberFormatException e) {
            throw new UsageException("--token must be an integer 0..18446744073709551615");
        }
    }

    /** Sizes like 4096, 64K, 1M. */
    long size(String name, String dflt) {
        String v = get(name, dflt).trim().toUpperCase();
        long mult = 1;
        if (v.endsWith("K")) {
            mult = 1024;
        } else if (v.endsWith("M")) {
            mult = 1024 * 1024;
        } else if (v.endsWith("G")) {
            mult = 1024L * 1024 * 1024;
        }
        if (mult != 1) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v) * mult;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a size like 4096, 64K or 1M");
        }
    }

    /** Durations like 500ms, 30s, 10m. */
    java.time.Duration duration(String name, String dflt) {
        String v = get(name, dflt).trim();
        try {
            if (v.endsWith("ms")) {
                return java.time.Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new UsageException("--" + name + " must be a duration like 500ms, 30s or 10m");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
