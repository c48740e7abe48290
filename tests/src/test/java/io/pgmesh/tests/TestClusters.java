package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.SysConfigEdits;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.docker.DockerRuntime;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeImage;
import com.github.dockerjava.api.DockerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Helpers shared by the integration tests: a config derived from the shipped sysconfig.json with a
 * subnet of the test's own (so a test cluster never collides with a user's default cluster), a
 * cluster context whose log is captured, and JDBC to a node's published port on 127.0.0.1.
 */
final class TestClusters {

    static final Path SHIPPED_CONFIG = Path.of("..", "sysconfig.json");
    static final Path HOME = Path.of("target", "pgmesh-home");

    private static DockerClient docker;

    private TestClusters() {
    }

    static synchronized DockerClient docker() {
        if (docker == null) {
            docker = DockerEngine.connect();
        }
        return docker;
    }

    /** The shipped config moved onto 172.28.{thirdOctet}.0/24, in a file of its own. */
    static Path configOnSubnet(int thirdOctet) {
        return configOnSubnet(Ipv4Net.of("172.28." + thirdOctet + ".0/24"));
    }

    /** The shipped config moved onto {@code subnet}, in a file of its own. */
    static Path configOnSubnet(Ipv4Net subnet) {
        try {
            String json = SysConfigEdits.onSubnet(Files.readString(SHIPPED_CONFIG), subnet, SHIPPED_CONFIG.toString());
            Path file = Files.createTempFile("sysconfig-it", ".json");
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SysConfig load(Path config) {
        try {
            return SysConfigLoader.load(config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A context whose step log is printed and kept in {@code log}. */
    static ClusterContext context(String cluster, SysConfig config, List<String> log) {
        java.util.function.Consumer<String> sink = line -> {
            System.out.println(line);
            log.add(line);
        };
        return new ClusterContext(cluster, config, new DockerRuntime(docker(), sink),
                HOME, sink);
    }

    static List<String> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    static String ensureImage() {
        return new NodeImage(docker(), System.out::println).ensureBuilt();
    }

    /** Removes whatever an earlier, crashed run of this test left behind (a label query). */
    static void removeLeftovers(String cluster, SysConfig config) {
        new ClusterDown(context(cluster, config, newLog())).run(ClusterDown.Data.DELETE);
    }

    /**
     * JDBC to the node's PostgreSQL where the runtime publishes it (127.0.0.1 on one engine, its host on a Swarm), the
     * way users connect: TLS, the node's certificate verified against the cluster's CA ({@link ClusterContext#jdbcUrl}).
     */
    static Connection connect(ClusterContext ctx, NodeContainer node, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(ctx.jdbcUrl(node, ctx.config().database()), props);
    }

    static Connection connectAsWriter(ClusterContext ctx, NodeContainer node) throws SQLException {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(), java.util.Map.of(), false);
        return connect(ctx, node, ctx.config().roles().testWriter().id(), secrets.password(ClusterSecrets.WRITER));
    }

    static Connection connectAsReader(ClusterContext ctx, NodeContainer node) throws SQLException {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(), java.util.Map.of(), false);
        return connect(ctx, node, ctx.config().roles().testReader().id(), secrets.password(ClusterSecrets.READER));
    }

    /** Runs SQL inside the node's container as the local superuser (peer authentication); returns psql's output. */
    static String psqlAsPostgres(NodeContainer node, String database, String sql) {
        Exec r = exec(node, "postgres", "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql);
        if (r.exit() == null || r.exit() != 0) {
            throw new IllegalStateException("psql on " + node.node() + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output().strip();
    }

    /** How a command in a container ended: its exit code (null when it did not finish in time) and its output. */
    record Exec(Long exit, String output) {
    }

    /** Runs a command in the node's container as {@code user}, waiting up to 30 s; stdout and stderr together. */
    static Exec exec(NodeContainer node, String user, String... command) {
        var docker = docker();
        String exec = docker.execCreateCmd(node.containerId()).withUser(user).withCmd(command)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        boolean done;
        try {
            done = docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    synchronized (output) {
                        output.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Long exit = done ? docker.inspectExecCmd(exec).exec().getExitCodeLong() : null;
        synchronized (output) {
            return new Exec(exit, output.toString());
        }
    }

    /** Inserts a row with {@code col2} through the writer role on {@code node}; returns its id. */
    static long insertAsWriter(ClusterContext ctx, NodeContainer node, String col2) throws SQLException {
        try (Connection c = connectAsWriter(ctx, node);
             java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO table1 (col2) VALUES (?) RETURNING id")) {
            insert.setString(1, col2);
            try (java.sql.ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Awaits, through the reader role, row {@code id} with {@code col2} on every one of {@code readers}. */
    static void awaitRowOn(ClusterContext ctx, List<NodeContainer> readers, long id, String col2, Duration atMost) {
        await("row " + id + " on " + readers.stream().map(NodeContainer::node).toList()).atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    for (NodeContainer reader : readers) {
                        try (Connection c = connectAsReader(ctx, reader);
                             java.sql.PreparedStatement select = c.prepareStatement(
                                     "SELECT col2 FROM table1 WHERE id = ?")) {
                            select.setLong(1, id);
                            try (java.sql.ResultSet rs = select.executeQuery()) {
                                assertThat(rs.next()).as("row " + id + " on " + reader.node()).isTrue();
                                assertThat(rs.getString(1)).isEqualTo(col2);
                            }
                        }
                    }
                });
    }

    /** For the rows a check found differing: every node's version, its tombstones and recorded conflicts. */
    static String evidence(ClusterContext ctx, io.pgmesh.orchestrator.check.ClusterCheck.Result check) {
        StringBuilder sb = new StringBuilder();
        check.tables().stream().filter(t -> !t.identical()).forEach(t -> t.differences().values().stream()
                .flatMap(List::stream).map(d -> d.id()).distinct().limit(5).forEach(id ->
                        sb.append(System.lineSeparator()).append(io.pgmesh.orchestrator.conflict.RowExplainer.render(
                                new io.pgmesh.orchestrator.conflict.RowExplainer(ctx).explain(t.table(), id)))));
        return sb.toString();
    }

    /** Which of {@code ids} the node's table1 does not hold (read as the test reader). */
    static java.util.Set<Long> missingOn(ClusterContext ctx, NodeContainer node, java.util.Set<Long> ids)
            throws SQLException {
        java.util.Set<Long> present = new java.util.HashSet<>();
        try (Connection c = connectAsReader(ctx, node);
             java.sql.PreparedStatement q = c.prepareStatement("SELECT id FROM table1 WHERE id = ANY (?)")) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
        }
        java.util.Set<Long> missing = new java.util.HashSet<>(ids);
        missing.removeAll(present);
        return missing;
    }

    /** The highest id of table1 on {@code node} within node {@code index}'s key range (0 when it holds none). */
    static long highestKeyInRange(ClusterContext ctx, NodeContainer node, int index) throws SQLException {
        try (Connection c = connectAsReader(ctx, node);
             java.sql.PreparedStatement q = c.prepareStatement(
                     "SELECT coalesce(max(id), 0) FROM table1 WHERE id BETWEEN ? AND ?")) {
            q.setLong(1, io.pgmesh.protocol.MeshNames.firstKey(index));
            q.setLong(2, io.pgmesh.protocol.MeshNames.lastKey(index));
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
