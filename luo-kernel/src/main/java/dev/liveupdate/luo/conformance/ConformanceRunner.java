package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.Kexec;
import dev.liveupdate.luo.LuoDevice;
import dev.liveupdate.luo.LuoDevices;
import dev.liveupdate.luo.LuoSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios against a target and prints one line per scenario. The generation is probed once
 * by opening the device; the scenarios then check it is the same every time.
 */
public final class ConformanceRunner {
    private final Target target;
    private final PrintStream out;
    private final RecordingKernelCalls calls;
    private Generation generation;

    public ConformanceRunner(Target target, PrintStream out) {
        this.target = target;
        this.out = out;
        this.calls = new RecordingKernelCalls(target.calls());
    }

    /** Opens the device once to learn the generation (closing it again). */
    public Generation generation() {
        if (generation == null) {
            try (LuoDevice device = LuoDevices.open(target.calls(), target.devicePath())) {
                generation = device.generation();
            }
        }
        return generation;
    }

    public List<Result> runSingle(List<Scenario> scenarios) {
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (s.generations().contains(generation())) {
                results.add(report(runOne(s)));
            }
        }
        return results;
    }

    /** One scenario with its own context; cleanup always runs. Does not print. */
    public Result runOne(Scenario scenario) {
        ScenarioContext ctx = new ScenarioContext(target, calls, generation());
        try {
            scenario.run(ctx);
            return Result.pass(scenario.name());
        } catch (Throwable t) {
            return Result.fail(scenario.name(), t);
        } finally {
            ctx.cleanup();
        }
    }

    /**
     * Stage 1: every kexec scenario preserves its sessions, (A) PREPARE, load the target kernel, save
     * the hand-off, print the summary, and kexec. Returns only if something failed before the
     * reboot or the kexec itself returned (which a real kernel never does on success).
     */
    public List<Result> runKexecStage1(Path handoffDir, List<KexecScenario> scenarios) {
        List<Result> results = new ArrayList<>();
        Handoff handoff = Handoff.create(handoffDir);
        ScenarioContext ctx = new ScenarioContext(target, calls, generation());
        LuoDevice device = ctx.openDevice();
        handoff.put("kexec.generation", generation().name());
        for (KexecScenario s : scenarios) {
            results.add(report(step(s.name() + " (before kexec)", () -> s.beforeKexec(ctx, device, handoff))));
        }
        if (generation() == Generation.A) {
            results.add(report(step("A: PREPARE before the kexec", device::prepare)));
            for (KexecScenario s : overriding(scenarios, "afterPrepare")) {
                results.add(report(step(s.name() + " (after PREPARE)", () -> s.afterPrepare(ctx, device, handoff))));
            }
        }
        results.add(report(step("load the target kernel with kexec_file_load", () -> {
            Target.KexecImage image = target.kexecImages().prepare(handoffDir, target.hostInfo().kernelRelease());
            handoff.put("kexec.expected_release", image.expectedRelease());
            handoff.save();
            Kexec.load(calls, image.image(), image.initrd(), image.cmdline());
        })));
        if (results.stream().anyMatch(r -> !r.passed())) {
            out.println(summary(results));
            ctx.cleanup();
            return results;
        }
        out.println("# kexec now; run --stage kexec-2 with the same --handoff in the next kernel");
        out.println(summary(results));
        out.flush();
        Kexec.execute(calls);
        results.add(report(Result.fail("reboot(KEXEC) returned", new ScenarioFailure("the kernel did not kexec"))));
        return results;
    }

    /** Stage 2 in the new kernel: verify every kexec scenario, FINISH the generation's way, check after FINISH. */
    public List<Result> runKexecStage2(Path handoffDir, List<KexecScenario> scenarios) {
        List<Result> results = new ArrayList<>();
        Handoff handoff = Handoff.load(handoffDir);
        ScenarioContext ctx = new ScenarioContext(target, calls, generation());
        try {
            results.add(report(step("kexec: same generation in the new kernel", () ->
                    Check.equal(generation().name(), handoff.get("kexec.generation"), "generation"))));
            LuoDevice device = ctx.openDevice();
            List<LuoSession> retrieved = new ArrayList<>();
            for (KexecScenario s : scenarios) {
                results.add(report(step(s.name() + " (after kexec)", () -> retrieved.addAll(s.afterKexec(ctx, device, handoff)))));
            }
            String finish = generation() == Generation.A
                    ? "A: kexec: global FINISH after restoring"
                    : "B: kexec: FINISH on every retrieved session";
            results.add(report(step(finish, () -> device.finishUpdate(retrieved))));
            for (KexecScenario s : overriding(scenarios, "afterFinish")) {
                results.add(report(step(s.name() + " (after FINISH)", () -> s.afterFinish(ctx, device, handoff))));
            }
        } catch (RuntimeException e) {
            results.add(report(Result.fail("kexec stage 2", e)));
        } finally {
            ctx.cleanup();
        }
        out.println(summary(results));
        return results;
    }

    /** The scenarios that implement an optional hook (the others would only print empty PASS lines). */
    private static List<KexecScenario> overriding(List<KexecScenario> scenarios, String hook) {
        return scenarios.stream().filter(s -> {
            try {
                return s.getClass().getMethod(hook, ScenarioContext.class, LuoDevice.class, Handoff.class)
                        .getDeclaringClass() != KexecScenario.class;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }).toList();
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static Result step(String name, Step step) {
        try {
            step.run();
            return Result.pass(name);
        } catch (Throwable t) {
            return Result.fail(name, t);
        }
    }

    private Result report(Result r) {
        out.println(r.line());
        return r;
    }

    /** The closing line: "N passed, N failed". */
    public static String summary(List<Result> results) {
        long passed = results.stream().filter(Result::passed).count();
        return passed + " passed, " + (results.size() - passed) + " failed";
    }
}
