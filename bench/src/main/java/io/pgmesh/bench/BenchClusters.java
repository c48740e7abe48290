package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.SysConfigEdits;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.docker.DockerRuntime;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeImage;
import io.pgmesh.protocol.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * pgmesh clusters of the bench, made with the orchestrator's own code: the shipped sysconfig.json moved onto one
 * of the bench's subnets, secrets under the run's own PGMESH_HOME, every step logged through a {@link StepClock}.
 */
final class BenchClusters {

    private final DockerClient docker;
    private final BenchEnv env;
    private final StepClock clock;
    private String image;

    BenchClusters(DockerClient docker, BenchEnv env, StepClock clock) {
        this.docker = docker;
        this.env = env;
        this.clock = clock;
    }

    StepClock clock() {
        return clock;
    }

    DockerClient docker() {
        return docker;
    }

    /** The shipped config with its 172.28.5.x addresses moved to 172.28.{octet}.x, written to the work dir. */
    Path configFile(int octet) {
        try {
            String json = SysConfigEdits.onSubnet(Files.readString(env.shippedConfig()), Ipv4Net.of("172.28." + octet + ".0/24"),
                    env.shippedConfig().toString());
            Files.createDirectories(env.workDir());
            Path file = env.workDir().resolve("sysconfig-172.28." + octet + ".json");
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ClusterContext context(String cluster, int octet) {
        return context(cluster, configFile(octet));
    }

    /**
     * As {@link #context(String, int)}, with {@code scale.min_nodes} set to {@code minNodes}: a cluster of that size
     * may then grow by one node and shrink back ({@code remove-node} refuses below min_nodes).
     */
    ClusterContext context(String cluster, int octet, int minNodes) {
        try {
            Path source = configFile(octet);
            Path file = env.workDir().resolve("sysconfig-172.28." + octet + "-min" + minNodes + ".json");
            Files.writeString(file, SysConfigEdits.withMinNodes(Files.readString(source), minNodes, source.toString()));
            return context(cluster, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ClusterContext context(String cluster, Path configFile) {
        SysConfig config = SysConfigLoader.load(configFile);
        return new ClusterContext(cluster, config, new DockerRuntime(docker, clock),
                env.home(), clock);
    }

    /** The node image's tag, built when missing (once per run). */
    synchronized String image() {
        if (image == null) {
            image = new NodeImage(docker, clock).ensureBuilt();
        }
        return image;
    }

    List<NodeContainer> up(ClusterContext ctx, int nodes) {
        return new ClusterUp(ctx, this::image).run(nodes);
    }

    void down(ClusterContext ctx) {
        new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
    }

    Credentials writer(ClusterContext ctx) {
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), false);
        return MeshSpecs.writer(ctx.config(), secrets);
    }

    List<Integer> pgPorts(ClusterContext ctx) {
        return ctx.runtime().list(ctx.cluster()).stream().filter(NodeContainer::running)
                .map(NodeContainer::pgPort).toList();
    }

    /** Where this run keeps the clusters' secrets. */
    Path home() {
        return env.home();
    }

    /** Environment of a CLI process of this run: its secrets live where the in-process code looks for them. */
    Map<String, String> cliEnvironment() {
        return Map.of("PGMESH_HOME", env.home().toString());
    }

    static Connection connect(int port, String database, Credentials login) throws SQLException {
        return connect(new io.pgmesh.orchestrator.runtime.Endpoint("127.0.0.1", port), database, login);
    }

    static Connection connect(io.pgmesh.orchestrator.runtime.Endpoint node, String database, Credentials login)
            throws SQLException {
        return connect(node, database, login, null);
    }

    /**
     * @param serverCa null: the driver's default (TLS when the server offers it, unverified); else TLS with the
     *                 server's certificate verified against this CA file and its name ({@code sslmode=verify-full}), as
     *                 pgmesh's clients connect
     */
    static Connection connect(io.pgmesh.orchestrator.runtime.Endpoint node, String database, Credentials login,
                              Path serverCa) throws SQLException {
        Properties props = new Properties();
        if (serverCa != null) {
            props.setProperty("sslmode", "verify-full");
            props.setProperty("sslrootcert", serverCa.toString());
        }
        props.setProperty("user", login.user());
        props.setProperty("password", login.password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "pgmesh-bench");
        return DriverManager.getConnection("jdbc:postgresql://" + node + "/" + database, props);
    }
}
