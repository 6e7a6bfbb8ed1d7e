package dev.liveupdate.operator.bench;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdate;
import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeSpec;
import dev.liveupdate.api.v1alpha1.LiveUpdateNodeStatus;
import dev.liveupdate.api.v1alpha1.LiveUpdateSpec;
import dev.liveupdate.api.v1alpha1.NodeInstruction;
import dev.liveupdate.api.v1alpha1.NodeInventory;
import dev.liveupdate.api.v1alpha1.NodePhase;
import dev.liveupdate.api.v1alpha1.NodeStep;
import dev.liveupdate.api.v1alpha1.PlanReference;
import dev.liveupdate.api.v1alpha1.RolloutStrategy;
import dev.liveupdate.api.v1alpha1.UpdateResult;
import dev.liveupdate.operator.k8s.Annotations;
import dev.liveupdate.operator.k8s.FleetSnapshot;
import dev.liveupdate.operator.k8s.LedgerCodec;
import dev.liveupdate.operator.k8s.NodeTrimmer;
import dev.liveupdate.operator.k8s.Views;
import dev.liveupdate.operator.planning.BlockerCheck;
import dev.liveupdate.operator.planning.Decision;
import dev.liveupdate.operator.planning.Ledger;
import dev.liveupdate.operator.planning.NodeEntry;
import dev.liveupdate.operator.planning.Outcome;
import dev.liveupdate.operator.planning.PlanSettings;
import dev.liveupdate.operator.planning.RolloutPlanner;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Runs the planning core over a synthetic fleet of 5,000 nodes (mid-rollout: most finished, one wave in flight, the
 * rest pending) and prints nanoseconds per plan evaluation; also the cost of building the planner's input from
 * cached Kubernetes objects (cold: every LiveUpdateNode parsed; warm: memoized) and the size of a trimmed Node.
 * Results go to stdout and target/bench/planner.txt.
 *
 * <pre>mvn -B -pl operator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.liveupdate.operator.bench.PlannerBenchmark [-Dexec.args="5000 200"]</pre>
 */
public final class PlannerBenchmark {
    static final String UID = "bench-plan-uid";
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    public static void main(String[] args) throws IOException {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        LiveUpdate plan = plan();
        Map<String, Node> nodeCache = new HashMap<>();
        Map<String, LiveUpdateNode> lunCache = new HashMap<>();
        NodeTrimmer trimmer = new NodeTrimmer();
        KubernetesSerialization json = new KubernetesSerialization();
        long fullBytes = 0;
        long trimmedBytes = 0;
        for (int i = 0; i < nodes; i++) {
            String name = String.format("node-%05d", i);
            Node full = fullNode(name, i);
            Node trimmed = trimmer.apply(full);
            if (i < 50) {
                fullBytes += json.asJson(full).length();
                trimmedBytes += json.asJson(trimmed).length();
            }
            nodeCache.put(name, trimmed);
            lunCache.put(name, lun(name, i, nodes));
        }
        FleetSnapshot.Caches caches = caches(nodeCache, lunCache);
        RolloutPlanner planner = new RolloutPlanner();
        RolloutPlanner.Plan in = new RolloutPlanner.Plan("bench", UID, 3, false, PlanSettings.from(plan.getSpec()), null);

        // Warm up the JIT on the whole path.
        for (int i = 0; i < 30; i++) {
            planner.plan(in, new FleetSnapshot(Views.BootIdentity.AUTO).entries(plan, caches), NOW, BlockerCheck.NONE);
        }
        long[] cold = new long[Math.max(5, rounds / 10)];
        for (int i = 0; i < cold.length; i++) {
            FleetSnapshot fresh = new FleetSnapshot(Views.BootIdentity.AUTO);
            long t0 = System.nanoTime();
            fresh.entries(plan, caches);
            cold[i] = System.nanoTime() - t0;
        }
        FleetSnapshot warmSnapshot = new FleetSnapshot(Views.BootIdentity.AUTO);
        warmSnapshot.entries(plan, caches);
        long[] warm = new long[rounds];
        long[] evals = new long[rounds];
        Decision last = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            List<NodeEntry> entries = warmSnapshot.entries(plan, caches);
            long t1 = System.nanoTime();
            last = planner.plan(in, entries, NOW, BlockerCheck.NONE);
            long t2 = System.nanoTime();
            warm[i] = t1 - t0;
            evals[i] = t2 - t1;
        }
        // A fresh plan over the same fleet: every node pending, so the pass sorts them and starts the first wave.
        Map<String, LiveUpdateNode> idle = new HashMap<>();
        for (int i = 0; i < nodes; i++) {
            String name = String.format("node-%05d", i);
            idle.put(name, lun(name, i, -nodes));
        }
        FleetSnapshot idleSnapshot = new FleetSnapshot(Views.BootIdentity.AUTO);
        List<NodeEntry> idleEntries = idleSnapshot.entries(plan, caches(nodeCache, idle));
        long[] starts = new long[rounds];
        int started = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Decision d = planner.plan(in, idleEntries, NOW, BlockerCheck.NONE);
            starts[i] = System.nanoTime() - t0;
            started = d.actions().size();
        }
        String report = String.format("""
                liveupdate-operator planner benchmark
                nodes: %d (finished %d, in flight %d, pending %d), rounds: %d, java %s, %d cpus, load average %s
                plan evaluation (RolloutPlanner.plan, input ready):   median %,d ns  p90 %,d ns  (%.1f ns/node)
                plan evaluation that starts a wave (all %d pending, sorted): median %,d ns  (%d instruction(s) written)
                input from caches, warm (memoized LiveUpdateNode views): median %,d ns
                input from caches, cold (every LiveUpdateNode parsed):   median %,d ns
                actions of the last evaluation: %d; status: %s
                Node JSON size: full (images, managedFields, conditions) %,d bytes, trimmed %,d bytes (mean of 50)
                """, nodes, (int) (nodes * 0.8), 50, nodes - (int) (nodes * 0.8) - 50, rounds,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage(),
                median(evals), percentile(evals, 0.9), (double) median(evals) / nodes, nodes, median(starts), started,
                median(warm), median(cold),
                last.actions().size(), last.status().getMessage(), fullBytes / 50, trimmedBytes / 50);
        System.out.print(report);
        Path out = Path.of("target", "bench", "planner.txt");
        if (Files.isDirectory(Path.of("operator"))) {
            out = Path.of("operator").resolve(out); // run from the repository root
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    /** The machine is shared: the load average says how much the figures can be trusted. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static long median(long[] v) {
        return percentile(v, 0.5);
    }

    static long percentile(long[] v, double p) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[Math.min(c.length - 1, (int) (c.length * p))];
    }

    static LiveUpdate plan() {
        LiveUpdate lu = new LiveUpdate();
        lu.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bench").withUid(UID)
                .withGeneration(3L).build());
        LiveUpdateSpec spec = new LiveUpdateSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("pool").withOperator("In")
                .withValues("kvm").endMatchExpression().build());
        KernelSpec k = new KernelSpec();
        k.setRelease("7.2.0-1-amd64");
        k.setImage("/boot/vmlinuz");
        spec.setKernel(k);
        RolloutStrategy s = new RolloutStrategy();
        s.setMaxUnavailable(new IntOrString("1%"));
        s.setCanaryNodes(1);
        spec.setStrategy(s);
        lu.setSpec(spec);
        return lu;
    }

    static Node fullNode(String name, int i) {
        var b = new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name)
                .withResourceVersion(Integer.toString(1000 + i))
                .withLabels(Map.of("pool", "kvm", "kubernetes.io/hostname", name, "topology.kubernetes.io/zone",
                        "zone-" + (i % 3), "node.kubernetes.io/instance-type", "m5.8xlarge"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update")
                        .withApiVersion("v1").build())
                .endMetadata().withNewSpec().withPodCIDR("10.0." + (i % 250) + ".0/24").endSpec().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("DiskPressure").withStatus("False").endCondition()
                .withNewNodeInfo().withBootID("boot-" + name).withKernelVersion("6.12.0-1-amd64")
                .withKubeletVersion("v1.34.4").withOsImage("Debian GNU/Linux 13").endNodeInfo()
                .addToCapacity("cpu", new Quantity("32")).addToCapacity("memory", new Quantity("128Gi"));
        for (int j = 0; j < 40; j++) {
            b = b.addToImages(new ContainerImageBuilder().withNames("registry.example/team/image-" + j + "@sha256:"
                    + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "registry.example/team/image-"
                    + j + ":v1.2." + j).withSizeBytes(123456789L).build());
        }
        return b.endStatus().build();
    }

    /** 80% finished (outcome), 50 in the current wave at various steps, the rest pending. */
    static LiveUpdateNode lun(String name, int i, int total) {
        LiveUpdateNode l = new LiveUpdateNode();
        l.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withGeneration(3L)
                .withResourceVersion(Integer.toString(5000 + i)).withAnnotations(new HashMap<>()).build());
        LiveUpdateNodeSpec spec = new LiveUpdateNodeSpec();
        spec.setNodeName(name);
        l.setSpec(spec);
        LiveUpdateNodeStatus st = new LiveUpdateNodeStatus();
        NodeInventory inv = new NodeInventory();
        inv.setCapable(true);
        inv.setBootID("boot-" + name);
        inv.setKernelRelease("6.12.0-1-amd64");
        st.setInventory(inv);
        st.setPhase(NodePhase.Idle);
        st.setObservedGeneration(3L);
        l.setStatus(st);
        if (total < 0) {
            return l; // idle: no plan has touched it
        }
        int finished = (int) (total * 0.8);
        if (i < finished) {
            l.getMetadata().getAnnotations().put(Annotations.outcomeKey(UID), LedgerCodec.encode(new Outcome(
                    UpdateResult.Finished, null, null, 1 + i / 50, NOW.minusSeconds(3600), NOW.minusSeconds(60), true)));
        } else if (i < finished + 50) {
            NodeInstruction in = new NodeInstruction();
            PlanReference ref = new PlanReference();
            ref.setName("bench");
            ref.setUid(UID);
            ref.setGeneration(3L);
            in.setPlan(ref);
            in.setStep(NodeStep.Prepared);
            spec.setInstruction(in);
            st.setPlan(ref);
            st.setPhase(i % 2 == 0 ? NodePhase.Prepared : NodePhase.Preparing);
            l.getMetadata().getAnnotations().put(Annotations.LEDGER, LedgerCodec.encode(new Ledger(UID,
                    1 + finished / 50, NOW.minusSeconds(30), NOW.minusSeconds(30), null, null, null, null)));
        }
        return l;
    }

    static FleetSnapshot.Caches caches(Map<String, Node> nodes, Map<String, LiveUpdateNode> luns) {
        return new FleetSnapshot.Caches() {
            @Override
            public Stream<Node> nodes(Predicate<Node> filter) {
                return nodes.values().stream().filter(filter);
            }

            @Override
            public Optional<Node> node(String name) {
                return Optional.ofNullable(nodes.get(name));
            }

            @Override
            public Optional<LiveUpdateNode> lun(String name) {
                return Optional.ofNullable(luns.get(name));
            }

            @Override
            public List<LiveUpdateNode> lunsHeldBy(String planUid) {
                return luns.values().stream().filter(l -> FleetSnapshot.HOLDER.apply(l).contains(planUid)).toList();
            }

            @Override
            public List<LiveUpdateNode> lunsWithOutcome(String planUid) {
                return new ArrayList<>();
            }

            @Override
            public List<Node> nodesCordonedBy(String planUid) {
                return List.of();
            }
        };
    }
}
