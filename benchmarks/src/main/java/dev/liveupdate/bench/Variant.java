package dev.liveupdate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One way of launching the agent: JVM flags, extra environment, which packaged jar, which {@code java},
 * and whether a class archive is made by an untimed training run first (see {@link Cds}).
 */
record Variant(String name, List<String> jvmFlags, Map<String, String> env, Path jar, Cds cds, Path java) {

    /** How the class archive of a variant is made, by an untimed training run before the measured ones. */
    enum Cds {
        /** none beyond the JDK's default CDS archive */
        NONE,
        /** JDK 13+: -XX:ArchiveClassesAtExit=F in training, -XX:SharedArchiveFile=F after (JDK 19+ could use -XX:+AutoCreateSharedArchive) */
        DYNAMIC,
        /** JDK 25+ (JEP 483/514/515): -XX:AOTCacheOutput=F in training, -XX:AOTCache=F after: classes loaded and linked, method profiles */
        AOT
    }

    /** The flags docs/node-agent.md gave before the footprint work (the "before" numbers). */
    static final List<String> DOCUMENTED_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx48m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:MaxMetaspaceSize=80m", "-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=1");

    /** The flags docs/node-agent.md "Footprint" recommends now (kept in step with that section). */
    static final List<String> RECOMMENDED_FLAGS = List.of("-XX:+UseSerialGC", "-Xms12m", "-Xmx48m", "-Xmn4m", "-Xss512k",
            "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=80m", "-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=1");

    /** Environment recommended with {@link #RECOMMENDED_FLAGS}: at most two glibc malloc arenas. */
    static final Map<String, String> RECOMMENDED_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * The variant called {@code name}: built-in ({@code documented}, {@code recommended}) or defined by
     * system properties {@code bench.variant.<name>.flags} (space separated), {@code .env} ("K=V K2=V2"),
     * {@code .jar}, {@code .java} (the java binary, default: the harness's) and {@code .cds} (dynamic, aot or none).
     * Properties override a built-in's parts.
     */
    static Variant resolve(String name, Path defaultJar) {
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?")) {
            throw new IllegalArgumentException("variant name '" + name + "': lower-case letters, digits and '-' (it becomes part of a Node name)");
        }
        String prefix = "bench.variant." + name + ".";
        List<String> flags;
        Map<String, String> env = new LinkedHashMap<>();
        Cds cds = Cds.NONE;
        switch (name) {
            case "documented" -> flags = DOCUMENTED_FLAGS;
            case "recommended" -> {
                flags = RECOMMENDED_FLAGS;
                env.putAll(RECOMMENDED_ENV);
            }
            case "recommended-cds" -> {
                flags = RECOMMENDED_FLAGS;
                env.putAll(RECOMMENDED_ENV);
                cds = Cds.DYNAMIC;
            }
            default -> {
                if (System.getProperty(prefix + "flags") == null) {
                    throw new IllegalArgumentException("unknown variant '" + name + "': built-in are documented, recommended, "
                            + "recommended-cds; define others with -D" + prefix + "flags=\"-Xmx48m ...\"");
                }
                flags = List.of();
            }
        }
        String f = System.getProperty(prefix + "flags");
        if (f != null) {
            flags = split(f);
        }
        String e = System.getProperty(prefix + "env");
        if (e != null) {
            env.clear();
            for (String kv : split(e)) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(prefix + "env: expected K=V, got " + kv);
                }
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        String jar = System.getProperty(prefix + "jar");
        String c = System.getProperty(prefix + "cds");
        if (c != null) {
            cds = switch (c.trim().toLowerCase(Locale.ROOT)) {
                case "true", "dynamic" -> Cds.DYNAMIC;
                case "aot" -> Cds.AOT;
                case "false", "none", "" -> Cds.NONE;
                default -> throw new IllegalArgumentException(prefix + "cds: dynamic, aot or none, got " + c);
            };
        }
        String javaBin = System.getProperty(prefix + "java");
        return new Variant(name, List.copyOf(flags), Map.copyOf(env), jar == null ? defaultJar : Path.of(jar).toAbsolutePath(), cds,
                javaBin == null ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(javaBin));
    }

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).forEach(out::add);
        return out;
    }

    String describe() {
        StringBuilder b = new StringBuilder(String.join(" ", jvmFlags));
        if (!env.isEmpty()) {
            b.append("  env: ");
            env.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        }
        if (cds != Cds.NONE) {
            b.append("  + archive from a training run (").append(cds).append(')');
        }
        b.append("  java: ").append(java);
        b.append("  jar: ").append(jar);
        return b.toString().trim();
    }
}
