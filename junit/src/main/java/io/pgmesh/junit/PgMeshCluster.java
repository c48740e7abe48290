package io.pgmesh.junit;

import com.github.dockerjava.api.DockerClient;
import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.orchestrator.check.ReplicationDrain;
import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterDown;
import io.pgmesh.orchestrator.cluster.ClusterSecrets;
import io.pgmesh.orchestrator.cluster.ClusterUp;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.config.ConfigException;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.orchestrator.docker.DockerRuntime;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeImage;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.SqlNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pgmesh cluster for tests: PostgreSQL 17 nodes in Docker containers, each publishing its tables to and
 * subscribing to every other node, brought up in-process by the real orchestrator (the same code as
 * {@code pgmesh up}) and removed by {@link #close()} (as {@code pgmesh down}).
 *
 * <pre>{@code
 * try (PgMeshCluster mesh = PgMeshCluster.builder().nodes(3).start()) {
 *     try (Connection c = mesh.connection(0)) {
 *         c.createStatement().executeUpdate("INSERT INTO table1 (col2) VALUES ('hello')");
 *     }
 *     mesh.awaitReplicated(Duration.ofSeconds(30));
 *     try (Connection c = DriverManager.getConnection(mesh.jdbcUrls().get(2),
 *             mesh.readerCredentials().user(), mesh.readerCredentials().password())) {
 *         // the row is on node2 too
 *     }
 *     assertTrue(mesh.check());
 * }
 * }</pre>
 *
 * <p>In JUnit 5 tests, {@link PgMesh @PgMesh} on the test class starts one cluster for the class and injects it.
 *
 * <p>Needs a Docker engine (DOCKER_HOST, or {@code -Dpgmesh.docker.host}) and the base image
 * {@code pgmesh-base:trixie} or {@code debian:trixie-slim}; the node image is built from the orchestrator jar on
 * first use and reused while the daemon and Dockerfile are unchanged. Ports are published on 127.0.0.1 only.
 * Every failure is an exception carrying the orchestrator's message (e.g. {@link DockerOperationException},
 * {@link ConfigException}); a failed {@link Builder#start()} removes whatever it had created.
 *
 * <p>Defaults: 3 nodes; a cluster name {@code pgmesh-junit-<random>}; the built-in config (the shipped
 * sysconfig.json: database {@code lb-test}, table {@code table1 (id bigserial, col1 varchar, col2 varchar)},
 * roles {@code testwriter}/{@code testreader}, at most 8 nodes) on the first free subnet among
 * 172.28.120.0/24 .. 172.28.159.0/24; passwords generated into a temporary directory that {@link #close()}
 * deletes. A JVM shutdown hook removes a cluster that was never closed (not after {@code kill -9}: then
 * {@code pgmesh down --delete-data --cluster NAME} removes it).
 */
public final class PgMeshCluster implements AutoCloseable {

    /** Prefix of the generated cluster names. */
    public static final String DEFAULT_NAME_PREFIX = "pgmesh-junit-";
    /** Node count when {@link Builder#nodes(int)} is not called. */
    public static final int DEFAULT_NODES = 3;
    /** Drain deadline of {@link #check()}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(PgMeshCluster.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Attempts when an automatically chosen subnet was taken by another process meanwhile. */
    private static final int SUBNET_ATTEMPTS = 3;

    private final ClusterContext ctx;
    private final DockerClient docker;
    private final List<NodeContainer> members;
    private final Credentials writer;
    private final Credentials reader;
    private final Path ownedHome;
    private final Ipv4Net reservedSubnet;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PgMeshCluster(ClusterContext ctx, DockerClient docker, List<NodeContainer> members, Path ownedHome,
                          Ipv4Net reservedSubnet) {
        this.ctx = ctx;
        this.docker = docker;
        this.members = List.copyOf(members);
        ClusterSecrets secrets = ClusterSecrets.resolve(ctx.home(), ctx.cluster(),
                MeshSpecs.configuredPasswords(ctx.config()), false);
        this.writer = MeshSpecs.writer(ctx.config(), secrets);
        this.reader = MeshSpecs.reader(ctx.config(), secrets);
        this.ownedHome = ownedHome;
        this.reservedSubnet = reservedSubnet;
        this.shutdownHook = new Thread(this::closeAtShutdown, "pgmesh-junit-down-" + ctx.cluster());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder with the defaults described on this class. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cluster as the orchestrator library sees it, to run its use cases on this cluster in a test
     * ({@code new ClusterRepair(mesh.context())}, {@code new NodeJoin(mesh.context()).addNode(...)}, ...).
     */
    public ClusterContext context() {
        return ctx;
    }

    /** The cluster's name: prefix of its containers and network, value of their {@code io.pgmesh.cluster} label. */
    public String clusterName() {
        return ctx.cluster();
    }

    /** The database every node holds (the built-in config's is {@code lb-test}). */
    public String database() {
        return ctx.config().database();
    }

    /** The node names in node order, e.g. {@code [node0, node1, node2]}. */
    public List<String> nodes() {
        return members.stream().map(NodeContainer::node).toList();
    }

    /**
     * One URL per node, in node order: {@code jdbc:postgresql://127.0.0.1:<published port>/<database>?sslmode=verify-full&sslrootcert=<the cluster's CA file>}
     * (the nodes accept TLS only). Log in
     * with {@link #writerCredentials()} or {@link #readerCredentials()}.
     */
    public List<String> jdbcUrls() {
        return members.stream().map(n -> ctx.jdbcUrl(n, database())).toList();
    }

    /** The {@code testwriter} role (SYSTestWriter): may insert, update and delete in the replicated tables. */
    public Credentials writerCredentials() {
        return writer;
    }

    /** The {@code testreader} role (SYSTestReader): may select from the replicated tables. */
    public Credentials readerCredentials() {
        return reader;
    }

    /** A new JDBC connection to node {@code node} (0-based, in {@link #nodes()} order) as the writer; close it. */
    public Connection connection(int node) throws SQLException {
        if (node < 0 || node >= members.size()) {
            throw new IllegalArgumentException("node: " + node + " is out of range 0.." + (members.size() - 1));
        }
        Properties props = new Properties();
        props.setProperty("user", writer.user());
        props.setProperty("password", writer.password());
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrls().get(node), props);
    }

    /**
     * Waits until every subscription has applied everything its publisher had written when the call began
     * (as {@code pgmesh check} does before comparing); returns how long it took. An
     * {@link IllegalStateException} naming the lagging subscriptions when {@code timeout} passes first.
     */
    public Duration awaitReplicated(Duration timeout) {
        requireOpen();
        return new ReplicationDrain(ctx).await(Objects.requireNonNull(timeout, "timeout"));
    }

    /** {@link #check(Duration)} with a drain deadline of {@link #DEFAULT_TIMEOUT}. */
    public boolean check() {
        return check(DEFAULT_TIMEOUT);
    }

    /**
     * {@code pgmesh check}: waits until replication has drained (at most {@code drainTimeout}), then compares every
     * table on every node. True when all nodes hold identical rows; when not, the differing ids per node are
     * logged.
     */
    public boolean check(Duration drainTimeout) {
        requireOpen();
        ClusterCheck.Result result = new ClusterCheck(ctx).run(Objects.requireNonNull(drainTimeout, "drainTimeout"));
        for (ClusterCheck.TableResult t : result.tables()) {
            if (!t.identical()) {
                ctx.log().accept("[check] " + t.table() + ": DIVERGED; " + describe(t.differences()));
            }
        }
        return result.identical();
    }

    /**
     * Removes the cluster's containers, its network, its data volumes and its stored passwords ({@code pgmesh down --delete-data}), and the
     * temporary home directory when the builder created it. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the cluster closed
        }
        RuntimeException failure = null;
        try {
            new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
        } catch (RuntimeException e) {
            failure = e;
        }
        failure = releaseResources(docker, ownedHome, reservedSubnet, failure);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "PgMeshCluster[" + clusterName() + ", " + members.size() + " nodes, " + (closed.get() ? "closed" : "up")
                + "]";
    }

    private void closeAtShutdown() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("removing cluster {} at JVM exit failed: {}", ctx.cluster(), e.getMessage());
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " is closed");
        }
    }

    private static String describe(Map<String, List<Divergence.RowDifference>> differences) {
        StringBuilder sb = new StringBuilder();
        differences.forEach((node, rows) -> {
            if (!rows.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(node).append(": ")
                        .append(rows.stream().limit(20).map(Object::toString).toList());
            }
        });
        return sb.toString();
    }

    /** Closes the Docker client, deletes an owned home, frees the subnet; adds any failure to {@code failure}. */
    private static RuntimeException releaseResources(DockerClient docker, Path ownedHome, Ipv4Net subnet,
                                                     RuntimeException failure) {
        MeshConfigs.release(subnet);
        try {
            docker.close();
        } catch (IOException | RuntimeException e) {
            failure = addFailure(failure, new IllegalStateException("closing the Docker client failed", e));
        }
        if (ownedHome != null) {
            try (Stream<Path> files = Files.walk(ownedHome)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                failure = addFailure(failure, new IllegalStateException("cannot delete " + ownedHome, e));
            }
        }
        return failure;
    }

    private static RuntimeException addFailure(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Configures and starts a {@link PgMeshCluster}. Arguments are checked when set, and against the config in
     * {@link #start()} before Docker is contacted; each problem is an {@link IllegalArgumentException} whose message
     * begins with the argument's name.
     */
    public static final class Builder {

        private int nodes = DEFAULT_NODES;
        private String clusterName;
        private Path config;
        private Ipv4Net subnet;
        private Path home;
        private Consumer<String> log = line -> LOG.info(line);

        private Builder() {
        }

        /** How many nodes: at least 1, at most the config's {@code scale.max_nodes} (8 in the built-in config). */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes: " + nodes + " is not a node count; a cluster needs at least 1 node");
            }
            this.nodes = nodes;
            return this;
        }

        /**
         * The cluster's name (default {@code pgmesh-junit-<random>}): lower-case letters, digits, '_' and '-',
         * starting with a letter or '_'. {@link #start()} refuses a name that an existing cluster uses.
         */
        public Builder clusterName(String clusterName) {
            SqlNames.problem(clusterName).ifPresent(p -> {
                throw new IllegalArgumentException("clusterName: " + p);
            });
            this.clusterName = clusterName;
            return this;
        }

        /** A sysconfig.json of your own (tables, roles, passwords, subnet) instead of the built-in one. */
        public Builder config(Path config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The subnet of the built-in config (default: the first free one among 172.28.120.0/24 ..
         * 172.28.159.0/24), a /26 or larger, e.g. {@code "172.28.120.0/24"}: gateway at .1, nodes from .10 on.
         * It must not overlap docker0 or another Docker network. Not combinable with {@link #config(Path)}.
         */
        public Builder subnet(String subnet) {
            this.subnet = MeshConfigs.parseSubnet(subnet);
            return this;
        }

        /**
         * Where the cluster's generated passwords are stored ({@code <home>/clusters/<name>/secrets.json}); default
         * a temporary directory that {@link PgMeshCluster#close()} deletes. {@code close()} deletes only the
         * cluster's own files in a directory given here.
         */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** Where the orchestrator's step log goes (one line per step); default an SLF4J logger at INFO. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Brings the cluster up: network, then the nodes one at a time, each wired into the mesh. Returns when
         * every node replicates with every other. On failure, removes what it created and throws the
         * orchestrator's exception.
         */
        public PgMeshCluster start() {
            if (config != null && subnet != null) {
                throw new IllegalArgumentException("subnet: cannot be combined with config(" + config
                        + "); set the subnet in that file (system.networks[].config.net.ipv4)");
            }
            SysConfig fixed = config != null ? SysConfigLoader.load(config)
                    : MeshConfigs.builtIn(subnet != null ? subnet : MeshConfigs.firstCandidate());
            if (nodes > fixed.maxNodes()) {
                throw new IllegalArgumentException("nodes: " + nodes + " is out of range 1.." + fixed.maxNodes()
                        + " (system.networks[].config.scale.max_nodes of " + fixed.source() + ")");
            }
            String name = clusterName != null ? clusterName : DEFAULT_NAME_PREFIX + HexFormat.of().formatHex(randomBytes());
            DockerClient docker = DockerEngine.connect();
            Path ownedHome = null;
            try {
                requireAbsent(docker, name, fixed);
                if (home == null) {
                    ownedHome = Files.createTempDirectory("pgmesh-junit-home");
                }
                return startOn(docker, name, fixed, home != null ? home : ownedHome, ownedHome);
            } catch (IOException e) {
                RuntimeException failure = new IllegalStateException("cannot create a temporary home directory", e);
                throw addFailure(failure, releaseResources(docker, ownedHome, null, null));
            } catch (RuntimeException e) {
                RuntimeException more = releaseResources(docker, ownedHome, null, null);
                if (more != null) {
                    e.addSuppressed(more);
                }
                throw e;
            }
        }

        private PgMeshCluster startOn(DockerClient docker, String name, SysConfig fixed, Path home, Path ownedHome) {
            boolean autoSubnet = config == null && subnet == null;
            long begin = System.nanoTime();
            for (int attempt = 1; ; attempt++) {
                Ipv4Net reserved = autoSubnet ? MeshConfigs.reserveFree(docker) : null;
                SysConfig effective = autoSubnet ? MeshConfigs.builtIn(reserved) : fixed;
                ClusterContext ctx = new ClusterContext(name, effective, new DockerRuntime(docker, log), home, log);
                try {
                    List<NodeContainer> up = new ClusterUp(ctx, () -> new NodeImage(docker, log).ensureBuilt()).run(nodes);
                    PgMeshCluster cluster = new PgMeshCluster(ctx, docker, up, ownedHome, reserved);
                    log.accept(String.format("[pgmesh-junit] cluster %s started in %.1f s: %s", name,
                            (System.nanoTime() - begin) / 1e9, cluster.jdbcUrls()));
                    return cluster;
                } catch (RuntimeException e) {
                    MeshConfigs.release(reserved);
                    try {
                        new ClusterDown(ctx).run(ClusterDown.Data.DELETE);
                    } catch (RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    if (autoSubnet && attempt < SUBNET_ATTEMPTS && subnetTaken(e)) {
                        log.accept("[pgmesh-junit] subnet " + reserved + " was taken meanwhile; trying another");
                        continue;
                    }
                    throw e;
                }
            }
        }

        /** A cluster of this name that exists already is someone else's: never reuse or remove it. */
        private static void requireAbsent(DockerClient docker, String name, SysConfig config) {
            ClusterContext probe = new ClusterContext(name, config, new DockerRuntime(docker, line -> { }),
                    Path.of("."), line -> { });
            if (!probe.runtime().list(name).isEmpty() || probe.runtime().hasNetwork(name)) {
                throw new IllegalStateException("clusterName: a cluster named " + name + " exists already; remove it"
                        + " with 'pgmesh down --cluster " + name + "' or choose another name");
            }
        }

        /** Another process created a network on the chosen subnet between the choice and the creation. */
        private static boolean subnetTaken(RuntimeException e) {
            if (e instanceof ConfigException c) {
                return c.problems().stream().anyMatch(p -> p.contains("overlaps Docker network"));
            }
            return e instanceof DockerOperationException d && d.kind() == DockerOperationException.Kind.CONFLICT
                    && String.valueOf(d.getMessage()).contains("overlaps an existing Docker network");
        }

        private static byte[] randomBytes() {
            byte[] bytes = new byte[4];
            RANDOM.nextBytes(bytes);
            return bytes;
        }
    }
}
