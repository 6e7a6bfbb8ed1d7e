package dev.liveupdate.luo.conformance;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the conformance suite against a backend and prints "PASS name" / "FAIL name: reason" per
 * scenario and a final "N passed, N failed". Exit status 0 only if nothing failed.
 *
 * <pre>
 * java -cp luo-kernel.jar:jna.jar dev.liveupdate.luo.conformance.ConformanceMain \
 *     --backend real [--device /dev/liveupdate]            # or: --backend sim --generation A|B --state-dir DIR
 *     [--stage single|kexec-1|kexec-2] [--handoff DIR]     # kexec stages: DIR must survive the kexec
 *     [--kernel IMAGE] [--initrd FILE] [--cmdline STR] [--expect-release R]   # real kexec-1
 *     [--only SUBSTRING]                                   # run matching scenarios only
 * </pre>
 */
public final class ConformanceMain {
    private ConformanceMain() {}

    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = parseOptions(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    /** Runs the stage the options ask for; returns the exit status. */
    public static int run(Map<String, String> options) {
        Target target = Backends.fromOptions(options);
        ConformanceRunner runner = new ConformanceRunner(target, System.out);
        String only = options.getOrDefault("only", "");
        String stage = options.getOrDefault("stage", "single");
        System.out.println("# luo-kernel conformance: " + target.description() + ", generation " + runner.generation()
                + ", stage " + stage);
        List<Result> results;
        switch (stage) {
            case "single":
                results = runner.runSingle(Scenarios.single().stream().filter(s -> s.name().contains(only)).toList());
                System.out.println(ConformanceRunner.summary(results));
                break;
            case "kexec-1":
                results = runner.runKexecStage1(handoff(options), Scenarios.kexec(runner.generation()).stream()
                        .filter(s -> s.name().contains(only)).toList());
                break;
            case "kexec-2":
                results = runner.runKexecStage2(handoff(options), Scenarios.kexec(runner.generation()).stream()
                        .filter(s -> s.name().contains(only)).toList());
                break;
            default:
                throw new IllegalArgumentException("--stage must be single, kexec-1 or kexec-2");
        }
        return results.stream().allMatch(Result::passed) ? 0 : 1;
    }

    private static Path handoff(Map<String, String> options) {
        String dir = options.get("handoff");
        if (dir == null) {
            throw new IllegalArgumentException("--handoff DIR is required for the kexec stages");
        }
        return Path.of(dir);
    }

    /** "--key value" pairs into a map. */
    public static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
