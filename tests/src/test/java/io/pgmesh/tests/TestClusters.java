package io.pgmesh.tests;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.docker.ClusterNetwork;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeContainers;
import io.pgmesh.orchestrator.docker.NodeImage;
import com.github.dockerjava.api.DockerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

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

    /** The shipped config with its 172.28.5.x addresses moved to 172.28.{thirdOctet}.x. */
    static Path configOnSubnet(int thirdOctet) {
        try {
            String json = Files.readString(SHIPPED_CONFIG).replace("172.28.5.", "172.28." + thirdOctet + ".");
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
        return new ClusterContext(cluster, config, new NodeContainers(docker(), sink), new ClusterNetwork(docker(), sink),
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
        new ClusterDown(context(cluster, config, newLog())).run();
    }

    static Connection connect(NodeContainer node, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgPort() + "/" + database, props);
    }

    static Connection connectAsWriter(ClusterContext ctx, NodeContainer node) throws SQLException {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(), java.util.Map.of(), false);
        return connect(node, ctx.config().database(), ctx.config().roles().testWriter().id(),
                secrets.password(ClusterSecrets.WRITER));
    }

    static Connection connectAsReader(ClusterContext ctx, NodeContainer node) throws SQLException {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(), java.util.Map.of(), false);
        return connect(node, ctx.config().database(), ctx.config().roles().testReader().id(),
                secrets.password(ClusterSecrets.READER));
    }

    /** Runs SQL inside the node's container as the local superuser (peer authentication); returns psql's output. */
    static String psqlAsPostgres(NodeContainer node, String database, String sql) {
        var docker = docker();
        String exec = docker.execCreateCmd(node.containerId()).withUser("postgres")
                .withCmd("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        try {
            docker.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    output.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Long exit = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        if (exit == null || exit != 0) {
            throw new IllegalStateException("psql on " + node.node() + " failed (" + exit + "): " + output);
        }
        return output.toString().strip();
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
}
