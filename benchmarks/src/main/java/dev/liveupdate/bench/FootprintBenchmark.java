package dev.liveupdate.bench;

import dev.liveupdate.api.v1alpha1.LiveUpdateNode;
import dev.liveupdate.testcluster.AgentIdentity;
import dev.liveupdate.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The footprint benchmark: a real control plane (etcd + kube-apiserver from test-cluster), then the
 * packaged node agent launched N times per variant as its own process on a simulated node (fresh Node,
 * machine and state directories each time), measuring
 * <ul>
 * <li><b>device ready</b>: launch of {@code java} until the harness's watch on the API server sees the node's
 *     LiveUpdateNode with {@code status.inventory.capable=true} (the agent opened the device and its first
 *     status write was accepted);</li>
 * <li>HTTP readiness (/q/health/ready 200), Quarkus' "started" and the agent's "device settled" log lines;</li>
 * <li>after an idle window (one /q/metrics scrape, then nothing): VmRSS, VmHWM, RssAnon/RssFile, threads,
 *     heap and metaspace (jstat), CPU time.</li>
 * </ul>
 * Then the operator's start-up and idle RSS the same way (without a plan). Prints a table and writes
 * everything to {@code benchmarks/target/agent-footprint.txt}. See docs/benchmarks.md.
 */
public final class FootprintBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    static final String AGENT_NAMESPACE = "liveupdate-bench";
    static final String AGENT_ACCOUNT = "liveupdate-agent";
    private static final Duration POLL = Duration.ofMillis(50);

    private final Options options;
    private final Consumer<String> out;
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Path operatorJar;

    FootprintBenchmark(Options options, Consumer<String> out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path file = new FootprintBenchmark(Options.fromSystemProperties(), System.out::println).run();
        System.out.println("written to " + file);
    }

    /** Runs everything; returns the output file. */
    Path run() throws Exception {
        for (Variant v : options.variants()) {
            requireJar(v.jar(), "mvn -B -q -pl benchmarks,operator -am install -DskipTests");
        }
        Files.createDirectories(options.workDir());
        String loadBefore = ProcStats.machineLoad();
        OffsetDateTime began = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        // Snapshots of the packaged apps: a rebuild of node-agent/target during the run (other builds share the
        // tree) would otherwise mix builds between variants and invalidate class archives (CDS checks jar mtimes).
        Map<Path, Path> snapshots = new LinkedHashMap<>();
        List<Variant> variants = new ArrayList<>();
        for (Variant v : options.variants()) {
            Path jar = snapshots.computeIfAbsent(v.jar(), j -> snapshot(j, "agent-" + snapshots.size()));
            variants.add(new Variant(v.name(), v.jvmFlags(), v.env(), jar, v.cds(), v.java()));
        }
        operatorJar = Files.isRegularFile(options.operatorJar()) && options.operator() ? snapshot(options.operatorJar(), "operator") : options.operatorJar();
        try (TestCluster cluster = TestCluster.builder().withRepoCrds().withControllerManager(false)
                .withWorkDir(options.workDir().resolve("cluster")).start()) {
            out.accept("control plane up in " + cluster.startupTime().toMillis() + " ms; load " + ProcStats.machineLoad());
            grantAgentAccount(cluster);
            for (int i = 0; i < variants.size(); i++) {
                if (variants.get(i).cds() != Variant.Cds.NONE) {
                    variants.set(i, train(cluster, variants.get(i)));
                }
            }
            out.accept(Report.header());
            for (int run = 1; run <= options.runs(); run++) {
                for (Variant v : variants) {
                    for (Sample s : measureAgent(cluster, v, run)) {
                        samples.add(s);
                        out.accept(Report.row(s));
                    }
                }
            }
            if (options.operator()) {
                if (Files.isRegularFile(operatorJar)) {
                    for (int run = 1; run <= options.operatorRuns(); run++) {
                        Sample s = measureOperator(cluster, run);
                        samples.add(s);
                        out.accept(Report.row(s));
                    }
                } else {
                    notes.add("operator not measured: " + options.operatorJar() + " missing (mvn -B -q -pl operator -am package -DskipTests)");
                }
            }
        }
        String loadAfter = ProcStats.machineLoad();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("date", began.toString());
        meta.put("command", command());
        meta.put("git", git());
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        meta.put("machine", "load average (1/5/15 min) before " + loadBefore + ", after " + loadAfter);
        meta.put("runs", options.runs() + " per variant (interleaved), each a first launch and " + options.restarts()
                + " restart(s)" + (options.kexec() ? " and a launch after a simulated kexec" : "") + "; idle window " + options.idle().toMillis() + " ms"
                + (options.nmt() ? ", with -XX:NativeMemoryTracking=summary" : ""));
        for (Variant v : variants) {
            String described = v.describe();
            for (Map.Entry<Path, Path> e : snapshots.entrySet()) {
                described = described.replace(e.getValue().toString(), e.getKey() + " (run from a copy)");
            }
            meta.put("variant " + v.name(), described);
        }
        if (options.operator()) {
            meta.put("variant operator", String.join(" ", options.operatorFlags()) + "  jar: " + options.operatorJar()
                    + " (run from a copy)");
        }
        for (int i = 0; i < notes.size(); i++) {
            meta.put("note " + (i + 1), notes.get(i));
        }
        String summary = Report.summary(samples);
        out.accept("");
        out.accept(summary);
        Files.createDirectories(options.out().getParent());
        Files.writeString(options.out(), Report.file(meta, samples, summary), StandardCharsets.UTF_8);
        return options.out();
    }

    /** Copies the jar's directory (a Quarkus fast-jar: quarkus-run.jar, app/, lib/, quarkus/) into the work dir. */
    private Path snapshot(Path jar, String name) {
        Path from = jar.getParent();
        Path to = options.workDir().resolve("apps").resolve(name);
        try {
            deleteTree(to);
            try (var walk = Files.walk(from)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
        return to.resolve(jar.getFileName().toString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void requireJar(Path jar, String build) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it first: " + build);
        }
    }

    private List<String> agentCommand(Variant v, String node, Path dir, int port, List<String> extraFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(v.java().toString());
        cmd.addAll(v.jvmFlags());
        cmd.addAll(extraFlags);
        if (options.nmt()) {
            cmd.add("-XX:NativeMemoryTracking=summary");
        }
        cmd.add("-Dliveupdate.agent.node-name=" + node);
        cmd.add("-Dliveupdate.agent.reboot-strategy=simulated");
        cmd.add("-Dliveupdate.agent.simulator.state-dir=" + dir.resolve("machine"));
        cmd.add("-Dliveupdate.agent.simulator.generation=B");
        cmd.add("-Dliveupdate.agent.state-dir=" + dir.resolve("agent-state"));
        cmd.add("-Dliveupdate.agent.socket.path=" + dir.resolve("agent.sock"));
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-jar");
        cmd.add(v.jar().getFileName().toString());
        return cmd;
    }

    /**
     * As in the cluster: a token bound to a Pod on the node (the DaemonSet's service account, here bound to
     * cluster-admin since the chart's RBAC is not installed) and the API server's CA, given to the client by
     * environment; no kubeconfig (parsing one would load a YAML stack the DaemonSet never loads).
     */
    private Map<String, String> agentEnv(Variant v, TestCluster cluster, String node) {
        AgentIdentity id = cluster.agents().create(AGENT_NAMESPACE, AGENT_ACCOUNT, node);
        Map<String, String> env = new LinkedHashMap<>(v.env());
        env.put("NODE_NAME", node);
        // Fabric8's own variables (what Config.autoConfigure reads; Quarkus' are fixed at build time).
        env.put("KUBERNETES_MASTER", cluster.apiServerUrl());
        env.put("KUBERNETES_CERTS_CA_FILE", cluster.caCertFile().toString());
        env.put("KUBERNETES_AUTH_TOKEN", id.token());
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        return env;
    }

    /** The agents' service account, allowed everything (the benchmark measures footprint, not RBAC). */
    private static void grantAgentAccount(TestCluster cluster) {
        cluster.client().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("liveupdate-bench-agent").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace(AGENT_NAMESPACE).withName(AGENT_ACCOUNT).endSubject()
                .build()).serverSideApply();
    }

    /**
     * The agent on a fresh simulated node: the first launch (creates the LiveUpdateNode), then
     * {@code bench.restarts} relaunches on the same node and state (the object exists: the path an agent takes
     * after a pod restart or, with an update in flight, after the kexec). Each is measured.
     */
    private List<Sample> measureAgent(TestCluster cluster, Variant v, int run) throws Exception {
        String node = "bench-" + v.name() + "-" + run;
        Path dir = freshDir(node);
        cluster.nodes().create(node, Map.of(KexecCycle.NODE_LABEL, node));
        Map<String, String> env = agentEnv(v, cluster, node);
        List<Sample> out = new ArrayList<>();
        for (int launch = 0; launch <= options.restarts(); launch++) {
            out.add(launchAgent(cluster, v, run, node, dir, env, launch == 0 ? "first" : "restart"));
        }
        if (options.kexec()) {
            out.add(launchAfterKexec(cluster, v, run, node, dir, env));
        }
        return out;
    }

    private Sample launchAgent(TestCluster cluster, Variant v, int run, String node, Path dir, Map<String, String> env, String kind)
            throws Exception {
        LiveUpdateNode before = cluster.client().resources(LiveUpdateNode.class).withName(node).get();
        String rvBefore = before == null ? null : before.getMetadata().getResourceVersion();
        CompletableFuture<Long> capableAt = new CompletableFuture<>();
        int port = Launched.freePort();
        double load = ProcStats.load1();
        try (Watch watch = cluster.client().resources(LiveUpdateNode.class).withName(node).watch(capableWatcher(capableAt, rvBefore));
             Launched agent = Launched.start(node, agentCommand(v, node, dir, port, List.of()), env, v.jar().getParent(),
                     dir.resolve("agent-" + kind + ".log"), port)) {
            Ready ready = awaitReady(agent, capableAt);
            Sample s = idleAndMeasure(agent, v.java(), v.name(), kind, run, ready, load, "device settled after");
            if (v.cds() != Variant.Cds.NONE && (agent.logContains("Unable to use") || agent.logContains("[warning][cds"))) {
                notes.add(node + " (" + kind + "): the JVM did not use the class archive, see " + agent.log);
            }
            int exit = agent.stop(15);
            if (exit != 0 && exit != 143 && exit != 130) {
                notes.add(node + ": agent exited with status " + exit + " on SIGTERM (log " + agent.log + ")");
            }
            return s;
        }
    }

    /**
     * The launch after a live update, the one inside the workloads' blackout: an untimed agent takes a workload's memfd,
     * prepares and kexecs (simulated: the process ends), then the measured launch, with the workload polling the
     * socket for its file from the moment of the fork ({@code fds back}) and the harness's watch for device ready.
     */
    private Sample launchAfterKexec(TestCluster cluster, Variant v, int run, String node, Path dir, Map<String, String> env) throws Exception {
        KexecCycle cycle = new KexecCycle(cluster.client(), node, dir.resolve("agent.sock"), dir.resolve("kernels"));
        List<String> kernelDirs = List.of("-Dliveupdate.agent.kernel-dirs=" + cycle.kernelDir());
        CompletableFuture<Long> before = new CompletableFuture<>();
        int port = Launched.freePort();
        try (Watch watch = cluster.client().resources(LiveUpdateNode.class).withName(node).watch(capableWatcher(before, rv(cluster, node)));
             Launched agent = Launched.start(node, agentCommand(v, node, dir, port, kernelDirs), env, v.jar().getParent(),
                     dir.resolve("agent-before-kexec.log"), port)) {
            awaitReady(agent, before);
            cycle.updateThrough(agent);
        }
        CompletableFuture<Long> capableAt = new CompletableFuture<>();
        port = Launched.freePort();
        double load = ProcStats.load1();
        try (Watch watch = cluster.client().resources(LiveUpdateNode.class).withName(node).watch(capableWatcher(capableAt, rv(cluster, node)));
             Launched agent = Launched.start(node, agentCommand(v, node, dir, port, kernelDirs), env, v.jar().getParent(),
                     dir.resolve("agent-kexec.log"), port)) {
            KexecCycle.FileBack fdsBack = cycle.awaitFileBack(agent);
            Ready ready = awaitReady(agent, capableAt);
            Sample s = idleAndMeasure(agent, v.java(), v.name(), "kexec", run, ready, load, "device settled after");
            agent.stop(15);
            return s.withFdsBack(fdsBack.ms(), fdsBack.cpuMs());
        }
    }

    private static String rv(TestCluster cluster, String node) {
        LiveUpdateNode lun = cluster.client().resources(LiveUpdateNode.class).withName(node).get();
        return lun == null ? null : lun.getMetadata().getResourceVersion();
    }

    /**
     * The untimed training run of a CDS variant: the agent starts, becomes ready, is scraped once and
     * stopped with SIGTERM; the JVM writes the classes it loaded to a dynamic archive at exit.
     */
    private Variant train(TestCluster cluster, Variant v) throws Exception {
        String node = "bench-" + v.name() + "-training";
        Path dir = freshDir(node);
        boolean aot = v.cds() == Variant.Cds.AOT;
        Path archive = options.workDir().resolve(v.name() + (aot ? ".aot" : ".jsa"));
        Files.deleteIfExists(archive);
        cluster.nodes().create(node, Map.of());
        CompletableFuture<Long> capableAt = new CompletableFuture<>();
        int port = Launched.freePort();
        long t0 = System.nanoTime();
        try (Watch watch = cluster.client().resources(LiveUpdateNode.class).withName(node).watch(capableWatcher(capableAt, null));
             Launched agent = Launched.start(node, agentCommand(v, node, dir, port, List.of((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive)),
                     agentEnv(v, cluster, node), v.jar().getParent(), dir.resolve("agent.log"), port)) {
            awaitReady(agent, capableAt);
            agent.get("/q/metrics");
            agent.get("/q/health/live");
            agent.stop(120);
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run of " + v.name() + " wrote no archive " + archive + "; see " + dir.resolve("agent.log"));
        }
        out.accept("class archive for " + v.name() + ": " + archive + " (" + Files.size(archive) / 1024 + " KiB, training run "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms)");
        List<String> flags = new ArrayList<>(v.jvmFlags());
        flags.add((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
        return new Variant(v.name(), List.copyOf(flags), v.env(), v.jar(), v.cds(), v.java());
    }

    /** The operator, started the way the sandbox starts it (leader election off), idle without a plan. */
    private Sample measureOperator(TestCluster cluster, int run) throws Exception {
        Path dir = freshDir("operator-" + run);
        int port = Launched.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.operatorFlags());
        if (options.nmt()) {
            cmd.add("-XX:NativeMemoryTracking=summary");
        }
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dliveupdate.leader-election.enabled=false", "-jar", operatorJar.getFileName().toString()));
        double load = ProcStats.load1();
        try (Launched op = Launched.start("operator", cmd, Map.of("KUBECONFIG", cluster.kubeconfig().toString()),
                operatorJar.getParent(), dir.resolve("operator.log"), port)) {
            Ready ready = awaitReady(op, CompletableFuture.completedFuture(null));
            Sample s = idleAndMeasure(op, Path.of(cmd.get(0)), "operator", "first", run, ready, load, null);
            op.stop(15);
            return s;
        }
    }

    /** Launch-relative times of the readiness signals. */
    private record Ready(long deviceReadyMs, long httpReadyMs, long cpuMs) {
    }

    /**
     * Polls /q/health/ready every 50 ms until it answers 200 and {@code capableAt} (the API server's view
     * of the device) completed; a completed-with-null future means "no device to wait for".
     */
    private Ready awaitReady(Launched p, CompletableFuture<Long> capableAt) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        long httpReady = -1;
        while (httpReady < 0 || !capableAt.isDone()) {
            if (p.deathNotice().isPresent()) {
                throw new IllegalStateException(p.deathNotice().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(p.name + " not ready after " + READY_TIMEOUT.toSeconds() + " s (http ready: "
                        + (httpReady >= 0) + ", device ready: " + capableAt.isDone() + "); last lines of " + p.log + ":\n" + p.tail(30));
            }
            if (httpReady < 0 && p.get("/q/health/ready") == 200) {
                httpReady = p.elapsedMillis();
            }
            if (httpReady < 0 || !capableAt.isDone()) {
                park(POLL);
            }
        }
        long cpu = ProcStats.cpuMillis(p.pid());
        Long capable = capableAt.join();
        long deviceReady = capable == null ? -1 : TimeUnit.NANOSECONDS.toMillis(capable - p.launchedAtNanos);
        return new Ready(deviceReady, httpReady, cpu);
    }

    /**
     * One Prometheus scrape and one liveness probe (what a node sees right after start), then the idle window,
     * sampling VmRSS every 250 ms; then /proc and jstat.
     */
    private Sample idleAndMeasure(Launched p, Path javaBin, String variant, String kind, int run, Ready ready, double load,
                                  String settledMarker)
            throws IOException {
        long idleStart = System.nanoTime();
        Map<String, Map.Entry<String, Long>> threadsAtReady = threadCpu(p.pid());
        p.get("/q/metrics");
        p.get("/q/health/live");
        long end = idleStart + options.idle().toNanos();
        long rssMax = 0;
        while (true) {
            if (p.deathNotice().isPresent()) {
                throw new IllegalStateException(p.deathNotice().get());
            }
            rssMax = Math.max(rssMax, ProcStats.of(p.pid()).rssKiB());
            if (System.nanoTime() >= end) {
                break;
            }
            park(Duration.ofNanos(Math.min(Duration.ofMillis(250).toNanos(), end - System.nanoTime())));
        }
        ProcStats idle = ProcStats.of(p.pid());
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleStart);
        JvmStats jvm = JvmStats.of(p.pid(), javaBin);
        Files.write(p.log.resolveSibling("threads-" + kind + ".txt"), threadReport(threadsAtReady, threadCpu(p.pid())));
        if (options.nmt()) {
            Files.writeString(p.log.resolveSibling("nmt-" + kind + ".txt"), JvmStats.jcmd(javaBin, p.pid(), "VM.native_memory", "summary"));
        }
        // Log lines are read last: Quarkus may answer /q/health/ready before it prints "started in".
        long startedMs = p.logLineAt(") started in ");
        long settledMs = settledMarker == null ? -1 : p.logLineAt(settledMarker);
        return new Sample(variant, kind, run, p.pid(), startedMs, settledMs, ready.deviceReadyMs(), ready.httpReadyMs(), ready.cpuMs(), idle,
                Math.max(rssMax, idle.rssKiB()), idle.cpuMillis() - ready.cpuMs(), idleMs, jvm, load, -1, -1);
    }

    /**
     * Completes with the arrival time of the first LiveUpdateNode event with inventory.capable=true and a
     * resourceVersion other than {@code rvBefore} (so a restarted agent's own first status write counts, not the
     * previous process' status that the watch replays first; every write carries a fresh lastReportTime).
     */
    private static Watcher<LiveUpdateNode> capableWatcher(CompletableFuture<Long> capableAt, String rvBefore) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, LiveUpdateNode lun) {
                if (lun != null && !java.util.Objects.equals(rvBefore, lun.getMetadata().getResourceVersion())
                        && lun.getStatus() != null && lun.getStatus().getInventory() != null
                        && Boolean.TRUE.equals(lun.getStatus().getInventory().getCapable())) {
                    capableAt.complete(System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                if (cause != null) {
                    capableAt.completeExceptionally(cause);
                }
            }
        };
    }

    private Path freshDir(String name) throws IOException {
        Path dir = options.workDir().resolve("runs").resolve(name);
        deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** CPU milliseconds (user+system) and name of each thread of the process, by thread id (from /proc, no attach). */
    private static Map<String, Map.Entry<String, Long>> threadCpu(long pid) {
        Map<String, Map.Entry<String, Long>> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    out.put(t.getFileName().toString(), Map.entry(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /** "total ms, ms during the idle window, name" per thread, busiest in the idle window first. */
    private static List<String> threadReport(Map<String, Map.Entry<String, Long>> atReady, Map<String, Map.Entry<String, Long>> atEnd) {
        List<String> lines = new ArrayList<>();
        lines.add("   total    idle  thread (CPU ms from /proc/PID/task/*/stat; idle = during the idle window)");
        atEnd.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().getValue() - idleBase(atReady, a.getKey()), a.getValue().getValue() - idleBase(atReady, b.getKey())))
                .forEach(e -> lines.add(String.format(java.util.Locale.ROOT, "%8d %7d  %s", e.getValue().getValue(),
                        e.getValue().getValue() - idleBase(atReady, e.getKey()), e.getValue().getKey())));
        return lines;
    }

    private static long idleBase(Map<String, Map.Entry<String, Long>> atReady, String tid) {
        Map.Entry<String, Long> e = atReady.get(tid);
        return e == null ? 0 : e.getValue();
    }

    private String command() {
        StringBuilder b = new StringBuilder("mvn -B -q -pl benchmarks compile exec:java");
        new TreeMap<>(System.getProperties()).forEach((k, val) -> {
            if (k.toString().startsWith("bench.")) {
                b.append(" -D").append(k).append('=').append(val.toString().contains(" ") ? "\"" + val + "\"" : val);
            }
        });
        return b.toString();
    }

    private String git() {
        String head = exec(List.of("git", "-C", options.repoRoot().toString(), "rev-parse", "--short", "HEAD")).trim();
        String dirty = exec(List.of("git", "-C", options.repoRoot().toString(), "status", "--porcelain", "--", "node-agent", "operator")).trim();
        return head + (dirty.isEmpty() ? "" : " (with uncommitted changes in node-agent/ or operator/)");
    }

    static String exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return s;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static void park(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
