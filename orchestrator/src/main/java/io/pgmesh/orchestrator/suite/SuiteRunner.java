package io.pgmesh.orchestrator.suite;

import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.config.PoolGroupConfig;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.pool.GroupRole;
import io.pgmesh.pool.GroupSpec;
import io.pgmesh.pool.Login;
import io.pgmesh.pool.MeshPool;
import io.pgmesh.pool.MeshPoolConfig;
import io.pgmesh.pool.NodeEndpoint;
import io.pgmesh.protocol.Credentials;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs suites against a cluster through a load-balanced pool over every running node (their
 * PostgreSQL ports published on 127.0.0.1), and renders what each suite did per node.
 */
public final class SuiteRunner {

    /** Groups the original workloads use; they must be configured. */
    public static final List<String> REQUIRED_GROUPS = List.of("writer1", "writer2", "reader1", "reader2");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /** One suite's outcome. */
    public record SuiteResult(String suite, Duration elapsed, OperationStats stats) {
    }

    private final ClusterContext ctx;

    public SuiteRunner(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public List<SuiteResult> run(List<Suite> suites, SuiteOptions options) {
        REQUIRED_GROUPS.forEach(g -> ctx.config().poolGroup(g).orElseThrow(() -> new IllegalStateException(
                "the test suites need pool group '" + g + "' in system.config.pool.groups")));
        SuiteTable table = SuiteTable.from(ctx.config().tables().get(0));
        List<NodeEndpoint> nodes = ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .map(n -> new NodeEndpoint(n.node(), ctx.runtime().pgEndpoint(n).host(), ctx.runtime().pgEndpoint(n).port()))
                .toList();
        if (nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no running nodes (run 'pgmesh up')");
        }
        List<SuiteResult> results = new ArrayList<>();
        try (MeshPool pool = MeshPool.open(poolConfig(nodes))) {
            for (Suite suite : suites) {
                ctx.log().accept("[test " + suite.name() + "] running on " + nodes.size() + " nodes (scale "
                        + options.scale() + (options.pause() ? "" : ", no pauses") + ")");
                OperationStats stats = new OperationStats();
                long start = System.nanoTime();
                suite.run(new SuiteEnv(new Operations(pool, stats), table, options,
                        () -> new ReplicationDrain(ctx).await(DRAIN_TIMEOUT)));
                SuiteResult result = new SuiteResult(suite.name(), Duration.ofNanos(System.nanoTime() - start), stats);
                ctx.log().accept(render(result, nodes.stream().map(NodeEndpoint::name).toList()));
                results.add(result);
            }
        }
        return results;
    }

    private MeshPoolConfig poolConfig(List<NodeEndpoint> nodes) {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), false);
        Credentials writer = MeshSpecs.writer(ctx.config(), secrets);
        Credentials reader = MeshSpecs.reader(ctx.config(), secrets);
        List<GroupSpec> groups = ctx.config().poolGroups().stream().map(SuiteRunner::groupSpec).toList();
        return MeshPoolConfig.of(ctx.config().database(), nodes, Map.of(
                GroupRole.WRITER, new Login(writer.user(), writer.password()),
                GroupRole.READER, new Login(reader.user(), reader.password())), groups)
                .withServerCa(io.pgmesh.orchestrator.tls.ClusterPki.caFile(ctx.home(), ctx.cluster()));
    }

    private static GroupSpec groupSpec(PoolGroupConfig g) {
        return new GroupSpec(g.id(), g.writer() ? GroupRole.WRITER : GroupRole.READER, g.connections(), g.autocommit());
    }

    /** The suite's table: operations per node per group, latency percentiles, errors. */
    public static String render(SuiteResult r, List<String> nodes) {
        OperationStats s = r.stats();
        StringBuilder sb = new StringBuilder(String.format("[test %s] %d operations in %.1f s: %d errors, %d retried",
                r.suite(), s.succeeded(), r.elapsed().toMillis() / 1000.0, s.errors(), s.retries()));
        StringBuilder header = new StringBuilder(String.format("%n  %-9s", "GROUP"));
        nodes.forEach(n -> header.append(String.format(" %7s", n)));
        header.append(String.format(" %7s %8s %8s %8s", "TOTAL", "p50 ms", "p95 ms", "p99 ms"));
        sb.append(header);
        Map<String, Map<String, Long>> served = s.servedPerNode();
        for (String group : s.groups()) {
            sb.append(String.format("%n  %-9s", group));
            long total = 0;
            for (String node : nodes) {
                long n = served.getOrDefault(group, Map.of()).getOrDefault(node, 0L);
                total += n;
                sb.append(String.format(" %7d", n));
            }
            sb.append(String.format(" %7d %8.2f %8.2f %8.2f", total, s.percentileMicros(group, 50) / 1000.0,
                    s.percentileMicros(group, 95) / 1000.0, s.percentileMicros(group, 99) / 1000.0));
        }
        s.firstErrors().forEach(e -> sb.append(String.format("%n  error: %s", e)));
        return sb.toString();
    }
}
