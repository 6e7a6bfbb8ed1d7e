package dev.liveupdate.operator.bench;

import dev.liveupdate.api.v1alpha1.KernelDirectory;
import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.PreflightFinding;
import dev.liveupdate.api.v1alpha1.Registration;
import dev.liveupdate.operator.k8s.FleetSnapshot;
import dev.liveupdate.operator.k8s.NodeTrimmer;
import dev.liveupdate.operator.k8s.Views;
import dev.liveupdate.operator.planning.BlockerCheck;
import dev.liveupdate.operator.planning.Decision;
import dev.liveupdate.operator.planning.PlanSettings;
import dev.liveupdate.operator.planning.RolloutPlanner;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet preflight over synthetic agents' inventories (issue 22's target: 1,000 nodes in under 10 s): every node
 * reports 16 kernel files with their hashes, its kernel directory, lockdown and registrations; 3 lack the plan's
 * kernel. Measures the pass a new plan gets, from the cached objects (every LiveUpdateNode parsed, cold) to the
 * status with the findings, which is all preflight costs: it reads what the agents already published.
 *
 * <pre>mvn -B -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.liveupdate.operator.bench.PreflightBenchmark [-Dexec.args="1000 50"]</pre>
 */
public final class PreflightBenchmark {
    static final String SHA = "ab".repeat(32);

    public static void main(String[] args) throws IOException {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        LiveUpdate plan = PlannerBenchmark.plan();
        plan.getSpec().getKernel().setSha256(SHA);
        Map<String, Node> nodeCache = new HashMap<>();
        Map<String, LiveUpdateNode> lunCache = new HashMap<>();
        NodeTrimmer trimmer = new NodeTrimmer();
        List<String> lacking = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String name = String.format("node-%05d", i);
            nodeCache.put(name, trimmer.apply(PlannerBenchmark.fullNode(name, i)));
            LiveUpdateNode l = PlannerBenchmark.lun(name, i, -nodes);
            boolean lacks = i % (nodes / 3) == 7;
            if (lacks) {
                lacking.add(name);
            }
            l.getStatus().getInventory().setPreflight(facts(plan.getSpec().getKernel().getImage(), lacks));
            lunCache.put(name, l);
        }
        FleetSnapshot.Caches caches = PlannerBenchmark.caches(nodeCache, lunCache);
        RolloutPlanner planner = new RolloutPlanner();
        RolloutPlanner.Plan in = new RolloutPlanner.Plan("bench", PlannerBenchmark.UID, 3, false,
                PlanSettings.from(plan.getSpec()), null);
        for (int i = 0; i < 20; i++) {
            planner.plan(in, new FleetSnapshot(Views.BootIdentity.AUTO).entries(plan, caches), PlannerBenchmark.NOW, BlockerCheck.NONE);
        }
        long[] passes = new long[rounds];
        Decision last = null;
        long first = -1;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            last = planner.plan(in, new FleetSnapshot(Views.BootIdentity.AUTO).entries(plan, caches),
                    PlannerBenchmark.NOW, BlockerCheck.NONE);
            passes[i] = System.nanoTime() - t0;
            if (first < 0) {
                first = passes[i];
            }
        }
        PreflightFinding finding = last.status().getPreflight().getFindings().get(0);
        String report = String.format("""
                liveupdate-operator preflight benchmark
                nodes: %d (16 kernel files each, %d lacking the plan's kernel: %s), rounds: %d, java %s, %d cpus, load average %s
                preflight pass (input built from the caches cold + RolloutPlanner.plan with the findings): median %,d ns  p90 %,d ns  max %,d ns
                result: summary '%s', finding %s count %d nodes %s, actions %d
                """, nodes, lacking.size(), lacking, rounds, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), PlannerBenchmark.loadAverage(),
                PlannerBenchmark.median(passes), PlannerBenchmark.percentile(passes, 0.9),
                java.util.Arrays.stream(passes).max().orElse(0), last.status().getPreflight().getSummary(),
                finding.getReason(), finding.getCount(), finding.getNodes(), last.actions().size());
        System.out.print(report);
        Path out = Path.of("target", "bench", "preflight.txt");
        if (Files.isDirectory(Path.of("operator"))) {
            out = Path.of("operator").resolve(out);
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    static PreflightFacts facts(String image, boolean lacksImage) {
        PreflightFacts f = new PreflightFacts();
        f.setKernelDirs(List.of(new KernelDirectory("/boot", 8L << 30)));
        List<KernelImageFile> files = new ArrayList<>();
        for (int j = 0; j < 15; j++) {
            files.add(new KernelImageFile("/boot/vmlinuz-6.12." + j, 12_000_000L, "cd".repeat(32)));
        }
        files.add(new KernelImageFile(lacksImage ? "/boot/vmlinuz-old" : image, 12_000_000L, SHA));
        f.setKernelFiles(files);
        f.setLockdown(LockdownMode.None);
        f.setKexecSignatureEnforced(false);
        f.setKexecLoadDisabled(false);
        Registration r = new Registration();
        r.setSession("vm");
        r.setFiles(4);
        f.setRegistrations(List.of(r));
        return f;
    }
}
