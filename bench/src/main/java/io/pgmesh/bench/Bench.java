package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.ClusterRepair;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.NodeJoin;
import io.pgmesh.orchestrator.cluster.NodeLeave;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.RpcAuth;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.pool.NodeEndpoint;
import io.pgmesh.protocol.Credentials;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bench run: every figure of docs/BENCHMARKS.md, each next to its baseline, measured in the same run with the
 * variants interleaved. Everything runs against real containers made by the orchestrator's own code (in-process),
 * by its CLI jar, or by bench/baseline-mesh.sh; all of it is removed at the end (and at JVM exit).
 */
final class Bench {

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    /** Longer than {@link #LOAD_LIMIT}: a writer faster than the new node's apply stops at its bound, then it drains. */
    private static final Duration REPAIR_DRAIN_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LOAD_LIMIT = Duration.ofMinutes(10);
    private static final long SAMPLE_PAUSE_MILLIS = 20;
    private static final int LATENCY_WARM_UP = 20;
    private static final int RPC_WARM_UP = 200;
    private static final long INSERT_BATCH = 100_000;
    /** Seeded rows (the lowest ids) the update writer of section 7 leaves alone. */
    private static final int UNTOUCHED = 100;
    /** Bound on each writer thread of section 7, besides LOAD_LIMIT. */
    private static final long WRITER_MAX_PER_THREAD = 2_000_000;
    private static final Pattern PGBENCH_CONNECT = Pattern.compile("average connection time = (\\d+(?:\\.\\d+)?) ms");
    private static final Pattern PGBENCH_LATENCY = Pattern.compile("latency average = (\\d+(?:\\.\\d+)?) ms");

    static final String PLAIN = "plain PostgreSQL (1 container)";
    static final String SINGLE = "pgmesh, 1 node";

    private final BenchPlan plan;
    private final BenchEnv env;
    private final DockerClient docker;
    private final Consumer<String> out;
    private final StepClock clock;
    private final BenchClusters clusters;

    Bench(BenchPlan plan, BenchEnv env, DockerClient docker, Consumer<String> out) {
        this.plan = plan;
        this.env = env;
        this.docker = docker;
        this.out = out;
        this.clock = new StepClock(line -> out.accept("    " + line));
        this.clusters = new BenchClusters(docker, env, clock);
    }

    private String name(String role) {
        return plan.namePrefix() + role;
    }

    private Path processLog() {
        return env.workDir().resolve("processes.log");
    }

    private BaselineScript script(String role, int subnetOffset) {
        return script(role, subnetOffset, null);
    }

    /** The baseline script's mesh; in its TLS mode with {@code tlsDir} ({@link TlsMaterial#dir()}) when not null. */
    private BaselineScript script(String role, int subnetOffset, Path tlsDir) {
        return new BaselineScript(env.script(), name(role), clusters.image(), plan.subnet(subnetOffset), processLog(),
                docker, tlsDir);
    }

    private ClusterContext context(String role, int subnetOffset) {
        return clusters.context(name(role), plan.subnet(subnetOffset));
    }

    /** Section 8 (backup and restore against pg_dump and pg_restore), also run alone by {@code --only-backup}. */
    BackupBench.Run runBackup(long rows) {
        Thread hook = new Thread(this::removeLeftoversQuietly, "pgmesh-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new BackupBench(this, clusters, docker, env.workDir(), out).run(rows, plan.subnet(5),
                    plan.subnet(4), name("backup"), name("restore"));
        } finally {
            removeLeftoversQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Section 9 (a Swarm lab next to one engine), run alone by {@code --only-swarm}. */
    SwarmBench.Run runSwarm() {
        Thread hook = new Thread(this::removeLeftoversQuietly, "pgmesh-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new SwarmBench(this, clusters, docker, env.workDir(), out).run(plan.subnet(0), name("local6"),
                    name("swarm6"), env.repoRoot().resolve("sysconfig.json"));
        } finally {
            removeLeftoversQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * Section 10 (what TLS costs: the native mesh with and without TLS, JSON-RPC over mutual TLS), run alone by
     * {@code --only-tls}. The meshes run on the baseline's and plain PostgreSQL's subnets (offsets 1 and 4), the
     * pgmesh cluster on the mesh's (offset 2); the TLS material lives in a PGMESH home of its own under the work dir,
     * removed at the end.
     */
    TlsBench.Run runTls() {
        out.accept("[bench] " + plan.mode() + " run of section 10 (TLS cost) only, load " + Load.now());
        removeLeftovers();
        Thread hook = new Thread(this::removeLeftoversQuietly, "pgmesh-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Path tlsHome = env.workDir().resolve("tls-home");
        try {
            out.accept("[bench] node image " + clusters.image());
            TlsMaterial tls = TlsMaterial.issue(tlsHome, name(TLS_ON), plan.subnet(4), plan.throughputNodes());
            return new TlsBench(this, clusters, plan, out).run(script(TLS_OFF, 1),
                    script(TLS_ON, 4, tls.dir()), tls, name("mesh"), plan.subnet(2));
        } finally {
            removeLeftoversQuietly();
            try {
                TlsMaterial.deleteTree(tlsHome);
            } catch (RuntimeException e) {
                out.accept("[bench] could not remove " + tlsHome + ": " + e.getMessage());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Cluster roles of section 10's native meshes. */
    static final String TLS_OFF = "tls-off";
    static final String TLS_ON = "tls-on";

    /** Section 7 alone (check, repair and add-node under load), for {@code bench/run --only-under-load}. */
    Results runUnderLoad() {
        Instant started = Instant.now();
        long begin = System.nanoTime();
        Load loadAtStart = Load.now();
        out.accept("[bench] " + plan.mode() + " run of section 7 only, load " + loadAtStart);
        removeLeftovers();
        Thread hook = new Thread(this::removeLeftoversQuietly, "pgmesh-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.accept("[bench] node image " + clusters.image());
            List<Results.OpsRun> underLoad = new ArrayList<>();
            List<Results.Injection> injections = new ArrayList<>();
            underLoad(underLoad, injections);
            String postgres = StepClock.postgresVersion(clock.since(begin));
            return new Results(plan.mode(), MachineInfo.describe(docker, postgres), started,
                    Duration.ofNanos(System.nanoTime() - begin), loadAtStart, Load.now(), null, null, List.of(),
                    plan.throughputRound(), List.of(), List.of(), List.of(), underLoad, injections);
        } finally {
            removeLeftoversQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    Results run() {
        Instant started = Instant.now();
        long begin = System.nanoTime();
        Load loadAtStart = Load.now();
        out.accept("[bench] " + plan.mode() + " run, load " + loadAtStart);
        removeLeftovers();
        Thread hook = new Thread(this::removeLeftoversQuietly, "pgmesh-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.accept("[bench] node image " + clusters.image());
            Results.Floor floor = floor();
            if (plan.upReps() > 1) {
                warmUp(); // the smoke run skips it: it compares nothing
            }
            Results.BringUp bringUp = bringUp();
            List<Results.LatencySeries> latency = new ArrayList<>();
            List<Results.ControlPlane> rpc = new ArrayList<>();
            ClusterContext mesh = latency(latency, rpc);
            List<Results.ThroughputRound> throughput = throughput(mesh);
            rpc.add(controlPlane(mesh, "after the throughput rounds"));
            clusters.down(mesh);
            List<Results.AddNodeRun> addNode = addNode();
            List<Results.OpsRun> underLoad = new ArrayList<>();
            List<Results.Injection> injections = new ArrayList<>();
            underLoad(underLoad, injections);
            String postgres = StepClock.postgresVersion(clock.since(begin));
            return new Results(plan.mode(), MachineInfo.describe(docker, postgres), started,
                    Duration.ofNanos(System.nanoTime() - begin), loadAtStart, Load.now(), bringUp, floor, latency,
                    plan.throughputRound(), throughput, rpc, addNode, underLoad, injections);
        } finally {
            removeLeftoversQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    // ---- 2. the floor ----

    private Results.Floor floor() {
        out.accept("[bench] floor: bare node container from docker run to accepting connections, " + plan.floorSamples()
                + " times");
        BaselineScript s = script("floor", 1);
        Load load = Load.now();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < plan.floorSamples(); i++) {
            seconds.add(s.floor());
        }
        out.accept(String.format("[bench] floor: median %.3f s over %d", Samples.median(seconds), seconds.size()));
        return new Results.Floor(seconds, load);
    }

    /** One untimed up/down, so the timed in-process runs do not pay for class loading and a cold JIT. */
    private void warmUp() {
        ClusterContext ctx = context("up", 0);
        clusters.up(ctx, 1);
        clusters.down(ctx);
    }

    // ---- 1. bring-up ----

    private Results.BringUp bringUp() {
        List<String> variants = new ArrayList<>(List.of(Results.BASELINE, Results.PGMESH_IN_PROCESS,
                Results.PGMESH_CONTAINERS_FIRST));
        env.cliJar().ifPresent(jar -> variants.add(1, Results.PGMESH_CLI));
        List<Results.BringUpRun> runs = new ArrayList<>();
        Map<Integer, List<Map<String, Double>>> pgmeshPhases = new LinkedHashMap<>();
        Map<Integer, List<Map<String, Double>>> baselinePhases = new LinkedHashMap<>();
        List<Double> daemonReady = new ArrayList<>();
        BaselineScript baseline = script("base", 1);
        for (int nodes : plan.upSizes()) {
            for (int rep = 1; rep <= plan.upReps(); rep++) {
                for (int k = 0; k < variants.size(); k++) {
                    String variant = variants.get((k + rep - 1) % variants.size());
                    Load load = Load.now();
                    double seconds = switch (variant) {
                        case Results.BASELINE -> {
                            BaselineScript.UpResult r = baseline.up(nodes);
                            baselinePhases.computeIfAbsent(nodes, n -> new ArrayList<>()).add(r.phases());
                            requireReplicating(baseline.pgPorts(), "lb-test",
                                    new Credentials("testwriter", baseline.writerPassword()));
                            baseline.down();
                            yield r.seconds();
                        }
                        case Results.PGMESH_CLI -> {
                            ClusterContext ctx = context("up", 0);
                            Path config = clusters.configFile(plan.subnet(0));
                            Processes.Outcome o = Processes.require(List.of(javaBinary(),
                                    "-jar", env.cliJar().orElseThrow().toString(), "up", "--nodes",
                                    Integer.toString(nodes), "--config", config.toString(), "--cluster", ctx.cluster()),
                                    clusters.cliEnvironment(), processLog(), CLI_TIMEOUT);
                            requireReplicating(clusters.pgPorts(ctx), ctx.config().database(), clusters.writer(ctx));
                            clusters.down(ctx);
                            yield o.seconds();
                        }
                        case Results.PGMESH_CONTAINERS_FIRST -> {
                            ClusterContext ctx = context("up", 0);
                            long start = System.nanoTime();
                            startContainersFirst(ctx, nodes);
                            clusters.up(ctx, nodes);
                            long end = System.nanoTime();
                            requireReplicating(clusters.pgPorts(ctx), ctx.config().database(), clusters.writer(ctx));
                            clusters.down(ctx);
                            yield (end - start) / 1e9;
                        }
                        default -> {
                            ClusterContext ctx = context("up", 0);
                            long start = System.nanoTime();
                            clusters.up(ctx, nodes);
                            long end = System.nanoTime();
                            List<StepClock.Line> lines = clock.since(start);
                            pgmeshPhases.computeIfAbsent(nodes, n -> new ArrayList<>())
                                    .add(StepClock.upPhases(lines, start, end));
                            daemonReady.addAll(StepClock.daemonReadySeconds(lines));
                            requireReplicating(clusters.pgPorts(ctx), ctx.config().database(), clusters.writer(ctx));
                            clusters.down(ctx);
                            yield (end - start) / 1e9;
                        }
                    };
                    out.accept(String.format("[bench] bring-up %d nodes, rep %d, %s: %.2f s (load %s)", nodes, rep,
                            variant, seconds, load.oneMinute()));
                    runs.add(new Results.BringUpRun(variant, nodes, rep, seconds, load));
                }
            }
        }
        return new Results.BringUp(runs, medianPhases(pgmeshPhases), medianPhases(baselinePhases), daemonReady);
    }

    /**
     * A prototype of starting every container before wiring the mesh (what the baseline does), made from the
     * orchestrator's public parts without changing it: the secrets, the network and every node's container are
     * created first, the way {@code ClusterUp}/{@code NodeStarter} create them, without waiting for any daemon;
     * then {@code ClusterUp} runs as it would after an interrupted {@code up}: it finds the containers running,
     * waits for each daemon and wires the mesh.
     */
    private void startContainersFirst(ClusterContext ctx, int nodes) {
        ClusterSecrets.resolve(ctx.home(), ctx.cluster(), MeshSpecs.configuredPasswords(ctx.config()), true);
        io.pgmesh.orchestrator.tls.ClusterPki.ensure(ctx.home(), ctx.cluster());
        String image = clusters.image();
        ctx.runtime().ensureNetwork(ctx.cluster(), ctx.networkName(), ctx.config().subnetCidr(),
                ctx.config().gateway().toString(), nodes);
        for (int i = 0; i < nodes; i++) {
            ctx.runtime().create(io.pgmesh.orchestrator.cluster.NodeStarter.nodeSpec(ctx, i, image, null));
        }
    }

    private static Map<Integer, Map<String, Double>> medianPhases(Map<Integer, List<Map<String, Double>>> all) {
        Map<Integer, Map<String, Double>> result = new LinkedHashMap<>();
        all.forEach((nodes, list) -> {
            Map<String, Double> medians = new LinkedHashMap<>();
            list.get(0).keySet().forEach(phase -> medians.put(phase,
                    Samples.median(list.stream().map(m -> m.getOrDefault(phase, 0.0)).toList())));
            result.put(nodes, medians);
        });
        return result;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void requireReplicating(List<Integer> ports, String database, Credentials writer) {
        try (LatencyProbe probe = LatencyProbe.onLocalPorts(ports, database, writer, suiteTable())) {
            probe.requireReplicating(VERIFY_TIMEOUT);
        } catch (SQLException e) {
            throw new IllegalStateException("checking that the mesh replicates failed: " + e.getMessage(), e);
        }
    }

    SuiteTable suiteTable() {
        return SuiteTable.from(context("up", 0).config().tables().get(0));
    }

    // ---- 3. replication latency ----

    /**
     * Measures every configured mesh size; returns the mesh of {@code throughputNodes} nodes, still up, after
     * measuring the control plane on it while it is fresh.
     */
    private ClusterContext latency(List<Results.LatencySeries> series, List<Results.ControlPlane> rpc) {
        ClusterContext kept = null;
        List<Integer> sizes = plan.latencyNodes().stream().sorted(Comparator.reverseOrder()).toList();
        for (int nodes : sizes) {
            ClusterContext ctx = context("mesh", 2);
            clusters.up(ctx, nodes);
            List<Integer> ports = clusters.pgPorts(ctx);
            Credentials writer = clusters.writer(ctx);
            try (LatencyProbe probe = LatencyProbe.onLocalPorts(ports, ctx.config().database(), writer, suiteTable())) {
                probe.requireReplicating(VERIFY_TIMEOUT);
                if (nodes == plan.throughputNodes() && kept == null) {
                    rpc.add(controlPlane(ctx, "on the fresh mesh"));
                }
                latencySamples(probe, LATENCY_WARM_UP);
                Load idleLoad = Load.now();
                LatencyProbe.Series idle = latencySamples(probe, plan.latencySamples());
                series.add(new Results.LatencySeries(nodes, false, idle.millis(), idle.timeouts(), 0, 0, idleLoad));
                report(series.get(series.size() - 1));
                try (InsertLoad load = new InsertLoad(endpoints(ctx), ctx.config(), writer)) {
                    InsertLoad.Running running = load.start(1, LOAD_LIMIT);
                    sleep(1000); // the load is running before the first sample
                    Load busyLoad = Load.now();
                    LatencyProbe.Series busy = latencySamples(probe, plan.latencySamples());
                    InsertLoad.Outcome o = running.stop();
                    series.add(new Results.LatencySeries(nodes, true, busy.millis(), busy.timeouts(), o.inserts(),
                            o.seconds(), busyLoad));
                    report(series.get(series.size() - 1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("latency measurement failed: " + e.getMessage(), e);
            }
            if (nodes == plan.throughputNodes() && kept == null) {
                kept = ctx;
            } else {
                clusters.down(ctx);
            }
        }
        if (kept == null) {
            kept = context("mesh", 2);
            clusters.up(kept, plan.throughputNodes());
            rpc.add(controlPlane(kept, "on the fresh mesh"));
        }
        return kept;
    }

    private LatencyProbe.Series latencySamples(LatencyProbe probe, int count) throws SQLException {
        return probe.samples(count, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
    }

    private void report(Results.LatencySeries s) {
        out.accept(String.format("[bench] latency %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d samples, %d timed out"
                        + " (load %s)", s.label(), Samples.percentile(s.millis(), 50), Samples.percentile(s.millis(), 99),
                Samples.max(s.millis()), s.millis().size(), s.timeouts(), s.load().oneMinute()));
    }

    private static List<String> containerIds(ClusterContext ctx) {
        return ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .map(NodeContainer::containerId).toList();
    }

    private static List<NodeEndpoint> endpoints(ClusterContext ctx) {
        return ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .map(n -> new NodeEndpoint(n.node(), ctx.runtime().pgEndpoint(n).host(), ctx.runtime().pgEndpoint(n).port()))
                .toList();
    }

    // ---- 4. write throughput ----

    private List<Results.ThroughputRound> throughput(ClusterContext mesh) {
        String meshTarget = "pgmesh mesh, " + plan.throughputNodes() + " nodes";
        ClusterContext single = context("single", 3);
        clusters.up(single, 1);
        BaselineScript plain = script("plain", 4);
        plain.up(1);
        Map<String, InsertLoad> loads = new LinkedHashMap<>();
        Map<String, List<String>> containers = new LinkedHashMap<>();
        List<Results.ThroughputRound> rounds = new ArrayList<>();
        try {
            List<Integer> plainPorts = plain.pgPorts();
            loads.put(PLAIN, new InsertLoad(List.of(new NodeEndpoint("plain", "127.0.0.1", plainPorts.get(0))),
                    mesh.config(), new Credentials("testwriter", plain.writerPassword())));
            loads.put(SINGLE, new InsertLoad(endpoints(single), single.config(), clusters.writer(single)));
            loads.put(meshTarget, new InsertLoad(endpoints(mesh), mesh.config(), clusters.writer(mesh)));
            containers.put(PLAIN, plain.containerIds());
            containers.put(SINGLE, containerIds(single));
            containers.put(meshTarget, containerIds(mesh));
            List<String> targets = List.copyOf(loads.keySet());
            for (String target : targets) { // warm-up: pools filled, statements prepared, JIT
                loads.get(target).runFor(Duration.ofSeconds(1), 1);
            }
            new ReplicationDrain(mesh).await(DRAIN_TIMEOUT);
            for (int round = 1; round <= plan.throughputRounds(); round++) {
                for (int ci = 0; ci < plan.concurrency().size(); ci++) {
                    int concurrency = plan.concurrency().get(ci);
                    for (int k = 0; k < targets.size(); k++) {
                        String target = targets.get((k + round - 1 + ci) % targets.size());
                        Map<String, ProcessCpu.Snapshot> before = ProcessCpu.snapshots(docker, containers.get(target));
                        Load load = Load.now();
                        double cpuBefore = ContainerCpu.seconds(containers.get(target));
                        double jvmBefore = ContainerCpu.jvmSeconds();
                        InsertLoad.Outcome o = loads.get(target).runFor(plan.throughputRound(), concurrency);
                        double jvm = ContainerCpu.jvmSeconds() - jvmBefore;
                        double drain = target.equals(meshTarget)
                                ? new ReplicationDrain(mesh).await(DRAIN_TIMEOUT).toNanos() / 1e9 : 0;
                        double cpu = ContainerCpu.seconds(containers.get(target)) - cpuBefore;
                        Map<String, Double> byKind = ProcessCpu.between(before,
                                ProcessCpu.snapshots(docker, containers.get(target)));
                        Results.ThroughputRound r = new Results.ThroughputRound(target, concurrency, round, o.inserts(),
                                o.errors(), o.seconds(), drain, cpu, jvm, byKind, load);
                        rounds.add(r);
                        out.accept(String.format("[bench] throughput %s, %d client(s), round %d: %.0f inserts/s"
                                        + " (%d in %.1f s, %d errors%s; CPU per 1000 inserts: containers %.0f ms,"
                                        + " client %.0f ms; load %s)", target, concurrency, round,
                                r.perSecond(), o.inserts(), o.seconds(), o.errors(),
                                drain > 0 ? String.format(", drained %.2f s later", drain) : "",
                                r.containerCpuPerThousand(), r.clientCpuPerThousand(), load.oneMinute()));
                        o.firstErrors().forEach(e -> out.accept("[bench]   error: " + e));
                    }
                }
            }
        } finally {
            loads.values().forEach(InsertLoad::close);
            clusters.down(single);
            plain.down();
        }
        return rounds;
    }

    // ---- 5. control plane ----

    private Results.ControlPlane controlPlane(ClusterContext mesh, String when) {
        NodeContainer node = mesh.runtime().list(mesh.cluster()).get(0);
        long rows;
        try {
            rows = count(node.pgPort(), mesh.config().database(), clusters.writer(mesh));
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows failed: " + e.getMessage(), e);
        }
        Load load = Load.now();
        RpcTimes times = rpcTimes(mesh, node, plan.rpcCalls());
        List<Double> status = times.status();
        List<Double> transport = times.transport();
        String length = plan.mode().equals("full") ? "-T 5" : "-t 100"; // the smoke run only checks that it works
        String statusSql = statusSql();
        String setup = "printf 'SELECT 1;\\n' > /tmp/pgmesh-bench-select1.sql && cat > /tmp/pgmesh-bench-status.sql <<'EOF'\n"
                + statusSql + "EOF\n";
        String pgbench = "/usr/lib/postgresql/17/bin/pgbench -n " + length + " -h /var/run/postgresql -U postgres ";
        DockerExec.run(docker, node.containerId(), 30, "sh", "-c", setup);
        String db = mesh.config().database();
        double connect = pgbench(node, pgbench + "-C -f /tmp/pgmesh-bench-select1.sql postgres", PGBENCH_CONNECT);
        double fresh = pgbench(node, pgbench + "-C -M extended -f /tmp/pgmesh-bench-status.sql '" + db + "'",
                PGBENCH_LATENCY);
        double warm = pgbench(node, pgbench + "-M extended -f /tmp/pgmesh-bench-status.sql '" + db + "'", PGBENCH_LATENCY);
        double prepared = pgbench(node, pgbench + "-M prepared -f /tmp/pgmesh-bench-status.sql '" + db + "'",
                PGBENCH_LATENCY);
        Results.ControlPlane cp = new Results.ControlPlane(when, rows, node.node(), status, transport, connect, fresh,
                warm, prepared, load);
        out.accept(String.format("[bench] control plane " + when + ", " + rows + " rows: status RPC p50 %.3f ms, p99 %.3f ms; unknown-method RPC p50 %.3f ms;"
                        + " in the container: new connection %.3f ms, status SQL on a new connection %.3f ms, on an open"
                        + " one %.3f ms, prepared %.3f ms (load %s)", Samples.percentile(status, 50),
                Samples.percentile(status, 99), Samples.percentile(transport, 50), connect, fresh, warm, prepared,
                load.oneMinute()));
        return cp;
    }

    /** Round trips of JSON-RPC calls to one node, in milliseconds. */
    record RpcTimes(List<Double> status, List<Double> transport) {
    }

    /**
     * {@code calls} timed {@code status} calls and as many calls of an unknown method (the transport alone), each
     * after {@link #RPC_WARM_UP} untimed ones, on one client (one socket over mutual TLS, the cluster secret on every
     * call), as the orchestrator calls a node.
     */
    static RpcTimes rpcTimes(ClusterContext mesh, NodeContainer node, int calls) {
        List<Double> status = new ArrayList<>();
        List<Double> transport = new ArrayList<>();
        // the concrete JSON-RPC client on purpose: its raw transport is measured too (an unknown method)
        try (NodeRpcClient client = rpcClient(mesh, node)) {
            for (int i = 0; i < RPC_WARM_UP + calls; i++) {
                long start = System.nanoTime();
                client.api().status();
                if (i >= RPC_WARM_UP) {
                    status.add((System.nanoTime() - start) / 1e6);
                }
            }
            for (int i = 0; i < RPC_WARM_UP + calls; i++) {
                long start = System.nanoTime();
                try {
                    client.call("pgmeshBenchNoSuchMethod", null, Object.class);
                    throw new IllegalStateException("the daemon answered an unknown method");
                } catch (NodeRpcException e) {
                    if (e.wireCode() != -32601) {
                        throw e;
                    }
                }
                if (i >= RPC_WARM_UP) {
                    transport.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        return new RpcTimes(status, transport);
    }

    /** The orchestrator's JSON-RPC client for one node: its certificate, the cluster's CA, the secret. */
    static NodeRpcClient rpcClient(ClusterContext mesh, NodeContainer node) {
        return NodeRpcClient.forEndpoint(node.node(), mesh.runtime().rpcEndpoint(node).host(),
                mesh.runtime().rpcEndpoint(node).port(), ClusterContext.CALL_TIMEOUT, mesh.rpcSecret(),
                mesh.pki().clientTls());
    }

    /** The queries the daemon's status runs (StatusReport, Catalog), for pgbench. */
    private static String statusSql() {
        try (var in = Bench.class.getResourceAsStream("status.sql")) {
            return new String(java.util.Objects.requireNonNull(in, "status.sql").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double pgbench(NodeContainer node, String command, Pattern figure) {
        String output = DockerExec.run(docker, node.containerId(), 120, "sh", "-c", command);
        Matcher m = figure.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no '" + figure.pattern() + "': " + output);
        }
        return Double.parseDouble(m.group(1));
    }

    // ---- 6. add-node ----

    private List<Results.AddNodeRun> addNode() {
        List<Results.AddNodeRun> runs = new ArrayList<>();
        for (long rows : plan.addNodeRows()) {
            ClusterContext ctx = context("add", 5);
            clusters.up(ctx, plan.addNodeClusterSize());
            try {
                Credentials writer = clusters.writer(ctx);
                List<Integer> ports = clusters.pgPorts(ctx);
                insertRows(ports.get(0), ctx.config().database(), writer, rows);
                new ReplicationDrain(ctx).await(DRAIN_TIMEOUT);
                Load load = Load.now();
                long start = System.nanoTime();
                NodeJoin.Joined join = new NodeJoin(ctx).addNode(clusters::image);
                NodeContainer added = join.node();
                long joined = System.nanoTime();
                new ClusterRepair(ctx).afterJoin(join, REPAIR_DRAIN_TIMEOUT);
                long end = System.nanoTime();
                double copy = StepClock.copySeconds(clock.since(start));
                long onNewNode = count(ctx.runtime().inspect(added.containerId()).pgPort(), ctx.config().database(),
                        writer);
                Results.AddNodeRun r = new Results.AddNodeRun(rows, plan.addNodeClusterSize(), (joined - start) / 1e9,
                        (end - joined) / 1e9, copy, onNewNode, load);
                runs.add(r);
                out.accept(String.format("[bench] add-node against %d rows: %.2f s (join %.2f s, of which copy %.2f s;"
                                + " repair %.2f s); %d rows on %s (load %s)", rows, r.totalSeconds(), r.joinSeconds(),
                        copy, r.repairSeconds(), onNewNode, added.node(), load.oneMinute()));
                if (onNewNode != rows) {
                    throw new IllegalStateException("the added node holds " + onNewNode + " rows, expected " + rows);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("add-node measurement failed: " + e.getMessage(), e);
            } finally {
                clusters.down(ctx);
            }
        }
        return runs;
    }

    void insertRows(int port, String database, Credentials writer, long rows) throws SQLException {
        SuiteTable t = suiteTable();
        String sql = "INSERT INTO \"" + t.table() + "\" (\"" + t.secondText() + "\") SELECT 'bench row ' || g"
                + " FROM generate_series(1, ?) g";
        try (Connection c = BenchClusters.connect(port, database, writer); PreparedStatement ps = c.prepareStatement(sql)) {
            for (long done = 0; done < rows; done += INSERT_BATCH) {
                ps.setLong(1, Math.min(INSERT_BATCH, rows - done));
                ps.executeUpdate();
            }
        }
    }

    private long count(int port, String database, Credentials writer) throws SQLException {
        try (Connection c = BenchClusters.connect(port, database, writer); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + suiteTable().table() + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- 7. check, repair and add-node under load ----

    /**
     * For each size a fresh cluster with the rows seeded on node0 and drained; then every operation in every
     * condition, each measurement on its own: the writer (if any) starts, runs {@code writerWarmUp}, the operation is
     * timed, the writer stops, an added node is removed again, replication drains. The conditions' order is rotated
     * per operation, repetition and size, so a drift in machine load favours none. Last, the failure injection.
     */
    private void underLoad(List<Results.OpsRun> runs, List<Results.Injection> injections) {
        int nodes = plan.underLoadNodes();
        List<String> conditions = Results.CONDITIONS;
        for (int si = 0; si < plan.underLoadRows().size(); si++) {
            long rows = plan.underLoadRows().get(si);
            ClusterContext ctx = clusters.context(name("load"), plan.subnet(5), nodes);
            clusters.up(ctx, nodes);
            try {
                Credentials writer = clusters.writer(ctx);
                List<Integer> ports = clusters.pgPorts(ctx);
                insertRows(ports.get(0), ctx.config().database(), writer, rows);
                new ReplicationDrain(ctx).await(DRAIN_TIMEOUT);
                long[] seeded = idRange(ports.get(0), ctx.config().database(), writer);
                new ClusterCheck(ctx).run(DRAIN_TIMEOUT); // untimed warm-up: the first timed check is not the cold one
                // the update writer leaves the first UNTOUCHED rows alone: the failure injection changes one of them
                long[] updated = {seeded[0] + UNTOUCHED, seeded[1]};
                out.accept(String.format(Locale.ROOT, "[bench] under load: %d nodes, %,d rows (ids %d-%d)", nodes, rows,
                        seeded[0], seeded[1]));
                for (int rep = 1; rep <= plan.underLoadReps(); rep++) {
                    for (int oi = 0; oi < Results.OPERATIONS.size(); oi++) {
                        String operation = Results.OPERATIONS.get(oi);
                        for (int k = 0; k < conditions.size(); k++) {
                            String condition = conditions.get((k + rep - 1 + oi + si) % conditions.size());
                            Results.OpsRun r = measure(ctx, rows, condition, operation, rep, updated);
                            runs.add(r);
                            out.accept(String.format(Locale.ROOT, "[bench] under load, %,d rows, %s %s, rep %d:"
                                            + " %.2f s, identical %s, %d in flight, %d examined, %d repaired, writer %d ops"
                                            + " (%d errors) (load %s)", rows, r.operation(), r.condition(), rep,
                                    r.seconds(), r.identical(), r.inFlight(), r.rowsExamined(), r.rowsRepaired(),
                                    r.writerOps(), r.writerErrors(), r.load().oneMinute()));
                        }
                    }
                }
                Results.Injection inj = inject(ctx, rows, seeded[0] + 10, updated);
                injections.add(inj);
                out.accept(String.format(Locale.ROOT, "[bench] under load, %,d rows, failure injected on %s (id %d)"
                                + " beside the update writer: check %.2f s found %s (%d in flight); repair %.2f s:"
                                + " %d examined, %d repaired, identical after %s; writer %d ops (load %s)", rows,
                        inj.node(), inj.id(), inj.checkSeconds(), inj.found(), inj.inFlight(), inj.repairSeconds(),
                        inj.rowsExamined(), inj.rowsRepaired(), inj.identicalAfter(), inj.writerOps(),
                        inj.load().oneMinute()));
            } catch (SQLException e) {
                throw new IllegalStateException("under-load measurement failed: " + e.getMessage(), e);
            } finally {
                clusters.down(ctx);
            }
        }
    }

    private RowWriter writer(ClusterContext ctx, String condition, long[] updated) {
        if (condition.equals(Results.IDLE)) {
            return null;
        }
        RowWriter.Kind kind = condition.equals(Results.INSERT_WRITER) ? RowWriter.Kind.INSERT : RowWriter.Kind.UPDATE;
        RowWriter w = new RowWriter(kind, clusters.pgPorts(ctx), ctx.config().database(), clusters.writer(ctx),
                suiteTable(), updated, LOAD_LIMIT, WRITER_MAX_PER_THREAD);
        sleep(plan.writerWarmUp().toMillis());
        return w;
    }

    private Results.OpsRun measure(ClusterContext ctx, long rows, String condition, String operation, int rep,
                                   long[] updated) {
        RowWriter w = writer(ctx, condition, updated);
        List<String> before = ctx.runtime().list(ctx.cluster()).stream().map(NodeContainer::node).toList();
        Load load = Load.now();
        long opsBefore = w == null ? 0 : w.operations();
        long errorsBefore = w == null ? 0 : w.errors();
        long start = System.nanoTime();
        try {
            long end;
            boolean ranOut;
            boolean identical;
            int inFlight;
            int examined = 0;
            int repaired = 0;
            long ops;
            long errors;
            switch (operation) {
                case Results.CHECK -> {
                    ClusterCheck.Result c = new ClusterCheck(ctx).run(DRAIN_TIMEOUT);
                    end = System.nanoTime();
                    ranOut = w != null && w.ranOut();
                    ops = w == null ? 0 : w.operations() - opsBefore;
                    errors = w == null ? 0 : w.errors() - errorsBefore;
                    identical = c.identical();
                    inFlight = inFlight(c);
                }
                case Results.REPAIR -> {
                    ClusterRepair.Result r = new ClusterRepair(ctx).run(DRAIN_TIMEOUT);
                    end = System.nanoTime();
                    ranOut = w != null && w.ranOut();
                    ops = w == null ? 0 : w.operations() - opsBefore;
                    errors = w == null ? 0 : w.errors() - errorsBefore;
                    identical = r.after().identical();
                    inFlight = inFlight(r.after());
                    examined = r.rowsExamined();
                    repaired = r.rowsRepaired();
                }
                default -> {
                    NodeJoin.Joined join = new NodeJoin(ctx).addNode(clusters::image);
                    ClusterRepair.Result r = new ClusterRepair(ctx).afterJoin(join, REPAIR_DRAIN_TIMEOUT);
                    end = System.nanoTime();
                    ranOut = w != null && w.ranOut();
                    ops = w == null ? 0 : w.operations() - opsBefore;
                    errors = w == null ? 0 : w.errors() - errorsBefore;
                    examined = r.rowsExamined();
                    repaired = r.rowsRepaired();
                    // untimed: the join's window compared again after add-node's repair, once the writer has
                    // stopped (beside a writer faster than the new node's apply, that drain would not end)
                    if (w != null) {
                        w.stop();
                    }
                    ClusterCheck.Result c = new ClusterCheck(ctx).run(DRAIN_TIMEOUT, join.changedSince());
                    identical = c.identical();
                    inFlight = inFlight(c);
                }
            }
            return new Results.OpsRun(rows, plan.underLoadNodes(), condition, operation, rep, (end - start) / 1e9,
                    identical, inFlight, examined, repaired, ops, errors, load, ranOut, null);
        } catch (RuntimeException e) {
            // a failed operation is a figure too: the row says how long it ran and why it failed, the section goes on
            double seconds = (System.nanoTime() - start) / 1e9;
            out.accept(String.format(Locale.ROOT, "[bench] under load, %,d rows, %s %s, rep %d: FAILED after %.2f s: %s",
                    rows, operation, condition, rep, seconds, e.getMessage()));
            return new Results.OpsRun(rows, plan.underLoadNodes(), condition, operation, rep, seconds, false, 0, 0, 0,
                    w == null ? 0 : w.operations() - opsBefore, w == null ? 0 : w.errors() - errorsBefore, load,
                    w != null && w.ranOut(), String.valueOf(e.getMessage()));
        } finally {
            if (w != null) {
                RowWriter.Outcome o = w.stop();
                if (o.errors() > 0) {
                    out.accept("[bench]   writer errors: " + o.errors() + ", first: " + o.firstError());
                }
            }
            // every measurement starts from the same cluster size: a node added (or half added) is removed again
            for (NodeContainer n : ctx.runtime().list(ctx.cluster())) {
                if (!before.contains(n.node())) {
                    new NodeLeave(ctx).removeNode(n.node());
                }
            }
            new ReplicationDrain(ctx).await(DRAIN_TIMEOUT);
        }
    }

    /**
     * Beside the update writer: one row (which the writer leaves alone) changed on the last node behind replication's
     * back, as a local update under a replication origin, so no peer receives it; then check and repair, timed.
     */
    private Results.Injection inject(ClusterContext ctx, long rows, long id, long[] updated) {
        NodeContainer node = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .reduce((a, b) -> b).orElseThrow();
        RowWriter w = writer(ctx, Results.UPDATE_WRITER, updated);
        try {
            SuiteTable t = suiteTable();
            DockerExec.run(docker, node.containerId(), 30, "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                    "-h", "/var/run/postgresql", "-U", "postgres", "-d", ctx.config().database(), "-c",
                    "SELECT pg_replication_origin_create('pgmesh_bench_tamper') WHERE"
                            + " pg_replication_origin_oid('pgmesh_bench_tamper') IS NULL;"
                            + " SELECT pg_replication_origin_session_setup('pgmesh_bench_tamper');"
                            + " UPDATE \"" + t.table() + "\" SET \"" + t.secondText()
                            + "\" = 'changed behind replication''s back' WHERE \"" + t.key() + "\" = " + id);
            Load load = Load.now();
            long opsBefore = w.operations();
            long start = System.nanoTime();
            ClusterCheck.Result check = new ClusterCheck(ctx).run(DRAIN_TIMEOUT);
            long checked = System.nanoTime();
            ClusterRepair.Result repair = new ClusterRepair(ctx).run(DRAIN_TIMEOUT);
            long end = System.nanoTime();
            List<Long> found = check.tables().stream().flatMap(tr -> tr.differences().values().stream())
                    .flatMap(List::stream).map(Divergence.RowDifference::id).distinct().sorted().toList();
            return new Results.Injection(rows, plan.underLoadNodes(), node.node(), id, (checked - start) / 1e9, found,
                    inFlight(check), (end - checked) / 1e9, repair.rowsExamined(), repair.rowsRepaired(),
                    repair.after().identical(), w.operations() - opsBefore, load);
        } finally {
            w.stop();
            new ReplicationDrain(ctx).await(DRAIN_TIMEOUT);
        }
    }

    private static int inFlight(ClusterCheck.Result c) {
        return c.tables().stream().mapToInt(ClusterCheck.TableResult::inFlight).sum();
    }

    private long[] idRange(int port, String database, Credentials writer) throws SQLException {
        SuiteTable t = suiteTable();
        try (Connection c = BenchClusters.connect(port, database, writer); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT min(\"" + t.key() + "\"), max(\"" + t.key() + "\") FROM \""
                     + t.table() + "\"")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    // ---- cleanup ----

    private void removeLeftovers() {
        for (String role : List.of("up", "mesh", "single", "add", "load")) {
            int offset = switch (role) {
                case "up" -> 0;
                case "mesh" -> 2;
                case "single" -> 3;
                default -> 5; // "add" and "load" run one after the other
            };
            clusters.down(context(role, offset));
        }
        for (String role : List.of("base", "plain", "floor", TLS_OFF, TLS_ON)) {
            new BaselineScript(env.script(), name(role), "unused", plan.subnet(1), processLog(), docker).down();
        }
    }

    private void removeLeftoversQuietly() {
        try {
            removeLeftovers();
        } catch (RuntimeException e) {
            out.accept("[bench] cleanup failed: " + e.getMessage());
        }
    }

    /** Sleeps; an interrupt ends the bench. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
