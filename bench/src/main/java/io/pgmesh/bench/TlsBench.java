package io.pgmesh.bench;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.rpc.ClientTls;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.suite.SuiteTable;
import io.pgmesh.pool.NodeEndpoint;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.MeshNames;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Section 10: what TLS costs. pgmesh has no plain-text mode (one code path, secure by default), so the switch lives in
 * the bench's native mesh: {@code baseline-mesh.sh} builds the same mesh without TLS and with pgmesh's TLS (the
 * daemon's settings and pg_hba, certificates from pgmesh's {@code ClusterPki}, subscriptions by replicator
 * certificate, clients {@code verify-full}). Both meshes are up at the same time and measured in the same run, rounds
 * interleaved (order rotated), with the same pool, table and load: new connections, replication latency idle and
 * under the insert suite, insert throughput. Then the JSON-RPC round trip on a pgmesh cluster (always mutual TLS).
 * Not part of the full run: {@code bench/run --only-tls}.
 */
final class TlsBench {

    static final String HEADING = "## 10. ";
    static final String OFF = "native mesh, no TLS";
    static final String ON = "native mesh, TLS";
    /** Target of issue 13: TLS costs at most 10% of insert throughput ... */
    static final double TARGET_THROUGHPUT_RATIO = 0.90;
    /** ... and at most 1 ms of p50 replication latency. */
    static final double TARGET_P50_MS = 1.0;

    private static final int LATENCY_ROUNDS = 2;
    private static final int LATENCY_WARM_UP = 20;
    private static final int CONNECT_WARM_UP = 20;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration LOAD_LIMIT = Duration.ofMinutes(10);
    /** As section 3's samples. */
    private static final long SAMPLE_PAUSE_MILLIS = 20;

    /** One series of replication latency samples on one mesh. */
    record LatencyRun(String target, boolean underLoad, int round, List<Double> millis, int timeouts,
                      long loadInserts, double loadSeconds, Load load) {
    }

    /** New JDBC connections (TCP, TLS handshake when on, SCRAM) to node0 of one mesh, milliseconds each. */
    record Connects(String target, int round, List<Double> millis, Load load) {
    }

    /**
     * JSON-RPC round trips to node0 of a fresh pgmesh cluster of {@code nodes} nodes, milliseconds.
     *
     * @param statusMillis        {@code status} on an open connection (as the orchestrator calls)
     * @param transportMillis     an unknown method on an open connection (transport, secret check, JSON)
     * @param newConnectionMillis {@code status} on a new connection: TCP connect, mutual-TLS handshake, the call
     */
    record Rpc(int nodes, String node, List<Double> statusMillis, List<Double> transportMillis,
               List<Double> newConnectionMillis, Load load) {
    }

    /**
     * @param upOff, upOn  {@code baseline-mesh.sh up N} of each mesh, seconds
     * @param round        length of one throughput round
     */
    record Run(int nodes, double upOff, double upOn, Duration round, List<Results.ThroughputRound> throughput,
               List<LatencyRun> latency, List<Connects> connects, Rpc rpc, Load loadAtStart, Load loadAtEnd) {

        double medianRate(String target, int concurrency) {
            return Samples.median(throughput.stream().filter(t -> t.target().equals(target)
                    && t.concurrency() == concurrency).map(Results.ThroughputRound::perSecond).toList());
        }

        List<Integer> concurrencies() {
            return throughput.stream().map(Results.ThroughputRound::concurrency).distinct().sorted().toList();
        }

        /** Every sample of one mesh in one mode, all rounds together. */
        List<Double> latency(String target, boolean underLoad) {
            return latency.stream().filter(l -> l.target().equals(target) && l.underLoad() == underLoad)
                    .flatMap(l -> l.millis().stream()).toList();
        }

        int timeouts(String target, boolean underLoad) {
            return latency.stream().filter(l -> l.target().equals(target) && l.underLoad() == underLoad)
                    .mapToInt(LatencyRun::timeouts).sum();
        }

        List<Double> connects(String target) {
            return connects.stream().filter(c -> c.target().equals(target)).flatMap(c -> c.millis().stream()).toList();
        }
    }

    /** One of the two meshes while it is measured. */
    private static final class Target implements AutoCloseable {
        final String name;
        final BaselineScript script;
        final Path serverCa;
        final List<Integer> ports;
        final List<String> containers;
        final Credentials writer;
        final InsertLoad load;
        LatencyProbe probe;
        final List<Connection> counters = new ArrayList<>();

        Target(String name, BaselineScript script, Path serverCa, SysConfig config, SuiteTable table)
                throws SQLException {
            this.name = name;
            this.script = script;
            this.serverCa = serverCa;
            this.ports = script.pgPorts();
            this.containers = script.containerIds();
            this.writer = new Credentials("testwriter", script.writerPassword());
            List<NodeEndpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++) {
                endpoints.add(new NodeEndpoint(MeshNames.nodeName(i), "127.0.0.1", ports.get(i)));
            }
            this.load = new InsertLoad(endpoints, config, writer, serverCa);
            LatencyProbe opened = null;
            try {
                opened = LatencyProbe.onLocalPorts(ports, config.database(), writer, table, serverCa);
                for (int port : ports) {
                    counters.add(connect(port, config.database()));
                }
            } catch (SQLException | RuntimeException e) {
                this.probe = opened;
                close();
                throw e;
            }
            this.probe = opened;
        }

        Connection connect(int port, String database) throws SQLException {
            return BenchClusters.connect(new io.pgmesh.orchestrator.runtime.Endpoint("127.0.0.1", port), database,
                    writer, serverCa);
        }

        @Override
        public void close() {
            if (probe != null) {
                probe.close();
            }
            load.close();
            for (Connection c : counters) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private final Bench bench;
    private final BenchClusters clusters;
    private final BenchPlan plan;
    private final Consumer<String> out;

    TlsBench(Bench bench, BenchClusters clusters, BenchPlan plan, Consumer<String> out) {
        this.bench = bench;
        this.clusters = clusters;
        this.plan = plan;
        this.out = out;
    }

    /**
     * @param off, on       the two meshes' scripts; {@code on} in TLS mode with {@code tls}
     * @param meshName      name of the pgmesh cluster of the RPC measurement, on 172.28.{meshOctet}.0/24
     */
    Run run(BaselineScript off, BaselineScript on, TlsMaterial tls, String meshName, int meshOctet) {
        Load atStart = Load.now();
        int nodes = plan.throughputNodes();
        SysConfig config = SysConfigLoader.load(clusters.configFile(meshOctet));
        SuiteTable table = bench.suiteTable();
        off.down();
        on.down();
        List<Results.ThroughputRound> throughput = new ArrayList<>();
        List<LatencyRun> latency = new ArrayList<>();
        List<Connects> connects = new ArrayList<>();
        double upOff;
        double upOn;
        try {
            upOff = off.up(nodes).seconds();
            upOn = on.up(nodes).seconds();
            out.accept(String.format(Locale.ROOT, "[bench] tls: baseline-mesh.sh up %d: %.2f s without TLS, %.2f s with",
                    nodes, upOff, upOn));
            Map<String, Target> targets = new LinkedHashMap<>();
            try {
                targets.put(OFF, new Target(OFF, off, null, config, table));
                targets.put(ON, new Target(ON, on, tls.caFile(), config, table));
                for (Target t : targets.values()) {
                    t.probe.requireReplicating(VERIFY_TIMEOUT);
                }
                connects(targets, config.database(), connects);
                latency(targets, latency);
                throughput(targets, throughput);
            } finally {
                targets.values().forEach(Target::close);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("TLS measurement failed: " + e.getMessage(), e);
        } finally {
            off.down();
            on.down();
        }
        Rpc rpc = rpc(meshName, meshOctet, nodes);
        return new Run(nodes, upOff, upOn, plan.throughputRound(), throughput, latency, connects, rpc, atStart,
                Load.now());
    }

    private static List<String> order(Map<String, Target> targets, int shift) {
        List<String> names = List.copyOf(targets.keySet());
        List<String> ordered = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            ordered.add(names.get((k + shift) % names.size()));
        }
        return ordered;
    }

    private void connects(Map<String, Target> targets, String database, List<Connects> connects) throws SQLException {
        int perRound = Math.max(10, plan.rpcCalls() / 20);
        for (int round = 1; round <= 2; round++) {
            for (String name : order(targets, round - 1)) {
                Target t = targets.get(name);
                int warmUp = round == 1 ? CONNECT_WARM_UP : 0;
                Load load = Load.now();
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < warmUp + perRound; i++) {
                    long start = System.nanoTime();
                    Connection c = t.connect(t.ports.get(0), database);
                    long end = System.nanoTime();
                    c.close();
                    if (i >= warmUp) {
                        millis.add((end - start) / 1e6);
                    }
                }
                connects.add(new Connects(name, round, millis, load));
                out.accept(String.format(Locale.ROOT, "[bench] tls: new connection, %s, round %d: p50 %.2f ms, p99"
                                + " %.2f ms (load %s)", name, round, Samples.percentile(millis, 50),
                        Samples.percentile(millis, 99), load.oneMinute()));
            }
        }
    }

    private void latency(Map<String, Target> targets, List<LatencyRun> latency) throws SQLException {
        int perRound = Math.max(5, plan.latencySamples() / LATENCY_ROUNDS);
        for (Target t : targets.values()) {
            t.probe.samples(LATENCY_WARM_UP, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
        }
        for (int round = 1; round <= LATENCY_ROUNDS; round++) {
            for (String name : order(targets, round - 1)) {
                Target t = targets.get(name);
                Load idleLoad = Load.now();
                LatencyProbe.Series idle = t.probe.samples(perRound, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
                latency.add(report(new LatencyRun(name, false, round, idle.millis(), idle.timeouts(), 0, 0, idleLoad)));
                InsertLoad.Running running = t.load.start(1, LOAD_LIMIT);
                Bench.sleep(1000); // the load is running before the first sample
                Load busyLoad = Load.now();
                LatencyProbe.Series busy;
                InsertLoad.Outcome o;
                try {
                    busy = t.probe.samples(perRound, SAMPLE_TIMEOUT, SAMPLE_PAUSE_MILLIS);
                } finally {
                    o = running.stop();
                }
                latency.add(report(new LatencyRun(name, true, round, busy.millis(), busy.timeouts(), o.inserts(),
                        o.seconds(), busyLoad)));
                drain(t);
            }
        }
    }

    private LatencyRun report(LatencyRun l) {
        out.accept(String.format(Locale.ROOT, "[bench] tls: latency %s, %s, round %d: p50 %.2f ms, p99 %.2f ms, %d"
                        + " timed out (load %s)", l.target(), l.underLoad() ? "insert suite" : "idle", l.round(),
                Samples.percentile(l.millis(), 50), Samples.percentile(l.millis(), 99), l.timeouts(),
                l.load().oneMinute()));
        return l;
    }

    private void throughput(Map<String, Target> targets, List<Results.ThroughputRound> rounds) throws SQLException {
        for (Target t : targets.values()) { // warm-up: pools filled, statements prepared, JIT
            t.load.runFor(Duration.ofSeconds(1), 1);
            drain(t);
        }
        for (int round = 1; round <= plan.throughputRounds(); round++) {
            for (int ci = 0; ci < plan.concurrency().size(); ci++) {
                int concurrency = plan.concurrency().get(ci);
                for (String name : order(targets, round - 1 + ci)) {
                    Target t = targets.get(name);
                    Load load = Load.now();
                    double cpuBefore = ContainerCpu.seconds(t.containers);
                    double jvmBefore = ContainerCpu.jvmSeconds();
                    InsertLoad.Outcome o = t.load.runFor(plan.throughputRound(), concurrency);
                    double jvm = ContainerCpu.jvmSeconds() - jvmBefore;
                    double drain = drain(t);
                    double cpu = ContainerCpu.seconds(t.containers) - cpuBefore;
                    Results.ThroughputRound r = new Results.ThroughputRound(name, concurrency, round, o.inserts(),
                            o.errors(), o.seconds(), drain, cpu, jvm, Map.of(), load);
                    rounds.add(r);
                    out.accept(String.format(Locale.ROOT, "[bench] tls: throughput %s, %d client(s), round %d: %.0f"
                                    + " inserts/s (%d in %.1f s, %d errors, drained %.2f s later; CPU per 1000 inserts:"
                                    + " containers %.0f ms, client %.0f ms; load %s)", name, concurrency, round,
                            r.perSecond(), o.inserts(), o.seconds(), o.errors(), drain, r.containerCpuPerThousand(),
                            r.clientCpuPerThousand(), load.oneMinute()));
                    o.firstErrors().forEach(e -> out.accept("[bench]   error: " + e));
                }
            }
        }
    }

    /**
     * Waits until every node of the mesh holds as many rows as every other: the table only grows and each node's keys
     * are its own, so then every node has applied every other's inserts. Returns the seconds it took.
     */
    private double drain(Target t) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + DRAIN_TIMEOUT.toNanos();
        String sql = "SELECT count(*) FROM \"" + bench.suiteTable().table() + "\"";
        while (true) {
            List<Long> counts = new ArrayList<>();
            for (Connection c : t.counters) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    counts.add(rs.getLong(1));
                }
            }
            if (counts.stream().distinct().count() == 1) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(t.name + " did not drain within " + DRAIN_TIMEOUT.toMinutes()
                        + " min: rows per node " + counts);
            }
            Bench.sleep(50);
        }
    }

    private Rpc rpc(String meshName, int meshOctet, int nodes) {
        ClusterContext ctx = clusters.context(meshName, meshOctet);
        clusters.down(ctx);
        clusters.up(ctx, nodes);
        try {
            NodeContainer node = ctx.runtime().list(ctx.cluster()).get(0);
            Load load = Load.now();
            Bench.RpcTimes times = Bench.rpcTimes(ctx, node, plan.rpcCalls());
            int fresh = Math.max(10, plan.rpcCalls() / 10);
            ClientTls clientTls = ctx.pki().clientTls();
            List<Double> newConnection = new ArrayList<>();
            for (int i = 0; i < CONNECT_WARM_UP + fresh; i++) {
                // constructed untimed: the client connects (TCP, then the TLS handshake) at its first call
                try (NodeRpcClient client = NodeRpcClient.forEndpoint(node.node(), ctx.runtime().rpcEndpoint(node).host(),
                        ctx.runtime().rpcEndpoint(node).port(), ClusterContext.CALL_TIMEOUT, ctx.rpcSecret(), clientTls)) {
                    long start = System.nanoTime();
                    client.api().status();
                    if (i >= CONNECT_WARM_UP) {
                        newConnection.add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
            Rpc rpc = new Rpc(nodes, node.node(), times.status(), times.transport(), newConnection, load);
            out.accept(String.format(Locale.ROOT, "[bench] tls: JSON-RPC over mutual TLS to %s of %d nodes: status p50"
                            + " %.3f ms, p99 %.3f ms; unknown method p50 %.3f ms; status on a new connection p50 %.3f ms"
                            + " (load %s)", node.node(), nodes, Samples.percentile(times.status(), 50),
                    Samples.percentile(times.status(), 99), Samples.percentile(times.transport(), 50),
                    Samples.percentile(newConnection, 50), load.oneMinute()));
            return rpc;
        } finally {
            clusters.down(ctx);
        }
    }

    // ---- the report ----

    /** Section 10 of docs/BENCHMARKS.md. */
    static String section(Run r, String measuredOn) {
        StringBuilder md = new StringBuilder(HEADING).append("TLS cost: the native mesh with and without TLS\n\n");
        md.append(measuredOn).append("\n\n");
        md.append("pgmesh has no plain-text mode (one code path, TLS always), so what TLS costs is measured on the"
                + " bench's native mesh ([bench/baseline-mesh.sh](../bench/baseline-mesh.sh), as in section 1), built"
                + " twice in the same run on the same image: once without TLS, once with `BASELINE_TLS_DIR`, which"
                + " gives it exactly pgmesh's TLS (the daemon's `ssl = on` settings and `hostssl`-only pg_hba, a unit"
                + " test keeps them equal; server and replicator certificates issued by pgmesh's `ClusterPki`; every"
                + " subscription verify-full with the node's replicator certificate, no password). The bench's clients"
                + " connect to the TLS mesh with `sslmode=verify-full` against its CA (`MeshPoolConfig.withServerCa`"
                + " for the pool), to the other without TLS (the driver's default, which such a server answers in"
                + " plain text). Both meshes have ").append(r.nodes()).append(" nodes and"
                + " are up at the same time; every measurement alternates between them (order rotated per round), so"
                + " a drift in the machine's load favours neither. Same pool, table and insert suite as sections 3"
                + " and 4; the native mesh has no conflict triggers, so these are TLS's costs without pgmesh's"
                + " own.\n\n");
        md.append(String.format(Locale.ROOT, "Load average at start, at end: %s; %s. Bring-up (`baseline-mesh.sh up"
                + " %d`, certificates issued beforehand): %.2f s without TLS, %.2f s with.%n%n", r.loadAtStart(),
                r.loadAtEnd(), r.nodes(), r.upOff(), r.upOn()));

        md.append("Targets (issue 13): TLS costs at most ").append(String.format(Locale.ROOT, "%.0f%%",
                (1 - TARGET_THROUGHPUT_RATIO) * 100)).append(" of insert throughput and at most ")
                .append(Report.ms(TARGET_P50_MS)).append(" of p50 replication latency.\n\n");
        md.append("| figure | no TLS | TLS | TLS / no TLS | difference | target | met |\n|---|---|---|---|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        for (int c : r.concurrencies()) {
            double off = r.medianRate(OFF, c);
            double on = r.medianRate(ON, c);
            double ratio = on / off;
            String figure = "insert suite, load mode, " + c + (c == 1 ? " client" : " clients") + " (median inserts/s)";
            boolean met = ratio >= TARGET_THROUGHPUT_RATIO;
            if (!met && !Double.isNaN(ratio)) {
                missed.add(figure);
            }
            md.append(row(figure, Report.rate(off), Report.rate(on), Report.x(ratio),
                    String.format(Locale.ROOT, "%+.1f%%", (ratio - 1) * 100),
                    ">= " + Report.x(TARGET_THROUGHPUT_RATIO), Double.isNaN(ratio) ? "-" : met(met)));
        }
        for (boolean underLoad : new boolean[]{false, true}) {
            String mode = underLoad ? "under the insert suite" : "idle";
            List<Double> off = r.latency(OFF, underLoad);
            List<Double> on = r.latency(ON, underLoad);
            double p50Off = Samples.percentile(off, 50);
            double p50On = Samples.percentile(on, 50);
            double diff = p50On - p50Off;
            String figure = "replication latency p50, " + mode;
            boolean met = diff <= TARGET_P50_MS && r.timeouts(ON, underLoad) == 0;
            if (!met && !Double.isNaN(diff)) {
                missed.add(figure);
            }
            md.append(row(figure, ms2(p50Off), ms2(p50On), Report.x(p50On / p50Off), plusMs(diff),
                    "<= +" + Report.ms(TARGET_P50_MS), Double.isNaN(diff) ? "-" : met(met)));
            double p99Off = Samples.percentile(off, 99);
            double p99On = Samples.percentile(on, 99);
            md.append(row("replication latency p99, " + mode, ms2(p99Off), ms2(p99On), Report.x(p99On / p99Off),
                    plusMs(p99On - p99Off), "-", "-"));
        }
        List<Double> cOff = r.connects(OFF);
        List<Double> cOn = r.connects(ON);
        md.append(row("new connection to node0, p50 (TCP, TLS handshake, SCRAM)", ms2(Samples.percentile(cOff, 50)),
                ms2(Samples.percentile(cOn, 50)), Report.x(Samples.percentile(cOn, 50) / Samples.percentile(cOff, 50)),
                plusMs(Samples.percentile(cOn, 50) - Samples.percentile(cOff, 50)), "-", "-"));
        md.append('\n');
        md.append(missed.isEmpty() ? "**Both targets met.**" : "**Target missed: " + String.join("; ", missed) + ".**")
                .append(" Difference: TLS minus no TLS (throughput: in per cent of no TLS). A latency row counts as"
                        + " missed too when a TLS sample timed out.\n\n");

        md.append("### Insert throughput\n\n");
        md.append("The insert suite in load mode, 1 or more clients through one pool (writer1 20 + writer2 10"
                + " connections over the mesh's nodes), ").append(Report.s(r.round().toMillis() / 1000.0))
                .append(" per round, as in section 4. After each round the bench waits until every node holds as"
                        + " many rows as the others (\"drained after\", not counted in the round). CPU per 1,000"
                        + " inserts: the mesh's containers (the round and its drain) and the bench JVM (clients, pool,"
                        + " its side of TLS), median of the rounds.\n\n");
        md.append("| clients | mesh | inserts/s (median) | rounds (inserts/s) | ratio to no TLS | errors | drained after"
                + " | container CPU per 1,000 inserts | client CPU per 1,000 inserts | load (1 min) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int c : r.concurrencies()) {
            double off = r.medianRate(OFF, c);
            for (String target : List.of(OFF, ON)) {
                List<Results.ThroughputRound> rounds = r.throughput().stream()
                        .filter(t -> t.target().equals(target) && t.concurrency() == c).toList();
                double median = r.medianRate(target, c);
                md.append("| ").append(c).append(" | ").append(target).append(" | ").append(Report.rate(median))
                        .append(" | ").append(String.join(", ", rounds.stream().map(t -> Report.rate(t.perSecond()))
                                .toList())).append(" | ").append(target.equals(OFF) ? "1.00x" : Report.x(median / off))
                        .append(" | ").append(rounds.stream().mapToLong(Results.ThroughputRound::errors).sum())
                        .append(" | ").append(String.join(", ", rounds.stream().map(t -> Report.s(t.drainSeconds()))
                                .toList()))
                        .append(" | ").append(Report.ms0(Samples.median(rounds.stream()
                                .map(Results.ThroughputRound::containerCpuPerThousand).toList())))
                        .append(" | ").append(Report.ms0(Samples.median(rounds.stream()
                                .map(Results.ThroughputRound::clientCpuPerThousand).toList())))
                        .append(" | ").append(loadRange(rounds.stream().map(t -> t.load().one()).toList()))
                        .append(" |\n");
            }
        }
        md.append('\n');

        md.append("### Replication latency\n\n");
        md.append("As section 3: an autocommitted `INSERT ... RETURNING id` on one node (origins in turn), then"
                + " primary-key `SELECT`s on every other node until all show the row (the TLS mesh's subscriptions and"
                + " the bench's connections both over TLS). ").append(LATENCY_ROUNDS).append(" rounds per mesh, each"
                + " a series idle and a series under the insert suite (1 client, load mode); 20 warm-up samples per"
                + " mesh dropped. All samples of a mesh and mode together:\n\n");
        md.append("| mesh | mode | samples | p50 | p90 | p99 | max | timed out | suite inserts/s meanwhile |"
                + " load (1 min) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (boolean underLoad : new boolean[]{false, true}) {
            for (String target : List.of(OFF, ON)) {
                List<LatencyRun> runs = r.latency().stream().filter(l -> l.target().equals(target)
                        && l.underLoad() == underLoad).toList();
                List<Double> v = r.latency(target, underLoad);
                long inserts = runs.stream().mapToLong(LatencyRun::loadInserts).sum();
                double seconds = runs.stream().mapToDouble(LatencyRun::loadSeconds).sum();
                md.append("| ").append(target).append(" | ").append(underLoad ? "insert suite, load mode" : "idle")
                        .append(" | ").append(v.size()).append(" | ").append(ms2(Samples.percentile(v, 50)))
                        .append(" | ").append(ms2(Samples.percentile(v, 90))).append(" | ")
                        .append(ms2(Samples.percentile(v, 99))).append(" | ").append(ms2(Samples.max(v))).append(" | ")
                        .append(r.timeouts(target, underLoad)).append(" | ")
                        .append(underLoad && seconds > 0 ? Report.rate(inserts / seconds) : "-").append(" | ")
                        .append(loadRange(runs.stream().map(l -> l.load().one()).toList())).append(" |\n");
            }
        }
        md.append('\n');

        md.append("### New connections\n\n");
        md.append("A new JDBC connection to node0 as the bench's writer (SCRAM), timed until it is open, closed"
                + " again; alternating between the meshes in rounds. With TLS it includes the handshake and the"
                + " verification of the node's certificate (verify-full).\n\n");
        md.append("| mesh | connections | p50 | p90 | p99 | max | load (1 min) |\n|---|---|---|---|---|---|---|\n");
        for (String target : List.of(OFF, ON)) {
            List<Double> v = r.connects(target);
            md.append("| ").append(target).append(" | ").append(v.size()).append(" | ")
                    .append(ms2(Samples.percentile(v, 50))).append(" | ").append(ms2(Samples.percentile(v, 90)))
                    .append(" | ").append(ms2(Samples.percentile(v, 99))).append(" | ").append(ms2(Samples.max(v)))
                    .append(" | ").append(loadRange(r.connects().stream().filter(c -> c.target().equals(target))
                            .map(c -> c.load().one()).toList())).append(" |\n");
        }
        md.append('\n');

        Rpc rpc = r.rpc();
        md.append("### JSON-RPC over mutual TLS\n\n");
        md.append("The orchestrator's `NodeRpcClient` to ").append(rpc.node()).append(" of a fresh pgmesh cluster of ")
                .append(rpc.nodes()).append(" nodes, as section 5 measures it: the daemon serves JSON-RPC over mutual"
                        + " TLS only (its certificate verified against the cluster's CA and its name, the"
                        + " orchestrator's client certificate verified by the daemon) and the cluster secret rides on"
                        + " every call. ").append(rpc.statusMillis().size()).append(" calls of each kind on one open"
                        + " connection after 200 warm-up calls, and ").append(rpc.newConnectionMillis().size())
                .append(" `status` calls each on a new connection (TCP connect, the mutual-TLS handshake, the call)."
                        + " There is no pgmesh without TLS to put next to it; section 5's target applies: `status`"
                        + " p50 under ").append(Report.ms3(Report.TARGET_STATUS_P50_MS)).append(". Load ")
                .append(rpc.load().oneMinute()).append(".\n\n");
        md.append("| call | p50 | p90 | p99 | max | target | met |\n|---|---|---|---|---|---|---|\n");
        double statusP50 = Samples.percentile(rpc.statusMillis(), 50);
        md.append(rpcRow("status, open connection", rpc.statusMillis(), "p50 < "
                + Report.ms3(Report.TARGET_STATUS_P50_MS), met(statusP50 < Report.TARGET_STATUS_P50_MS)));
        md.append(rpcRow("unknown method, open connection (transport, secret check, JSON)", rpc.transportMillis(),
                "-", "-"));
        md.append(rpcRow("status, new connection (TCP, mutual-TLS handshake, call)", rpc.newConnectionMillis(), "-",
                "-"));
        md.append('\n');
        return md.toString();
    }

    private static String rpcRow(String call, List<Double> v, String target, String met) {
        return row(call, Report.ms3(Samples.percentile(v, 50)), Report.ms3(Samples.percentile(v, 90)),
                Report.ms3(Samples.percentile(v, 99)), Report.ms3(Samples.max(v)), target, met);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String met(boolean ok) {
        return ok ? "**yes**" : "**no**";
    }

    private static String ms2(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String plusMs(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%+.2f ms", millis);
    }

    private static String loadRange(List<Double> loads) {
        Predicate<Double> known = v -> !Double.isNaN(v);
        double min = loads.stream().filter(known).mapToDouble(v -> v).min().orElse(Double.NaN);
        double max = loads.stream().filter(known).mapToDouble(v -> v).max().orElse(Double.NaN);
        if (Double.isNaN(min)) {
            return "?";
        }
        return min == max ? String.format(Locale.ROOT, "%.2f", min) : String.format(Locale.ROOT, "%.2f-%.2f", min, max);
    }
}
