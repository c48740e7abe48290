package io.pgmesh.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates one {@link HikariDataSource} per (group, node). No connection is opened before the first borrow
 * ({@code minimumIdle 0}) and a node that is down at start is not fatal ({@code initializationFailTimeout -1}).
 */
public final class HikariDataSourceFactory implements DataSourceFactory {

    /** Hikari rejects connection timeouts below 250 ms. */
    public static final Duration MIN_BORROW_TIMEOUT = Duration.ofMillis(250);
    /** Driver TCP connect timeout: a dead node must not hang a borrow. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Driver socket read timeout: bounds a statement on a node that stopped answering (0 = none). */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** Idle connections above minimumIdle (0) are closed after this; also trims pools shrunk by a re-split. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final String database;
    private final Duration borrowTimeout;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private java.nio.file.Path serverCa;

    public HikariDataSourceFactory(String database, Duration borrowTimeout) {
        this(database, borrowTimeout, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
    }

    public HikariDataSourceFactory(String database, Duration borrowTimeout, Duration connectTimeout,
            Duration socketTimeout) {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database must not be blank");
        }
        this.database = database;
        this.borrowTimeout = Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (connectTimeout.isNegative() || socketTimeout.isNegative()) {
            throw new IllegalArgumentException("driver timeouts must be >= 0");
        }
    }

    /** The factory {@link MeshPool#open(MeshPoolConfig)} uses: the config's database and borrow timeout. */
    public static HikariDataSourceFactory forConfig(MeshPoolConfig config) {
        HikariDataSourceFactory factory = new HikariDataSourceFactory(config.database(), config.borrowTimeout());
        factory.serverCa = config.serverCa();
        return factory;
    }

    /** This factory with TLS to every node, its certificate checked against {@code caFile} and its name. */
    public HikariDataSourceFactory verifyingServers(java.nio.file.Path caFile) {
        this.serverCa = Objects.requireNonNull(caFile, "caFile");
        return this;
    }

    /** {@code jdbc:postgresql://host:port/<url-encoded database>}; IPv6 literals get brackets. */
    public static String jdbcUrl(NodeEndpoint node, String database) {
        String host = node.host().contains(":") && !node.host().startsWith("[") ? "[" + node.host() + "]" : node.host();
        String db = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://" + host + ":" + node.port() + "/" + db;
    }

    /** The Hikari settings of the pool of {@code group} on {@code node}. */
    public HikariConfig configFor(NodeEndpoint node, GroupSpec group, Login login, int maxConnections) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("pgmesh-" + group.name() + "-" + node.name());
        c.setJdbcUrl(jdbcUrl(node, database));
        c.setUsername(login.user());
        c.setPassword(login.password());
        c.setAutoCommit(group.autocommit());
        c.setMaximumPoolSize(maxConnections);
        c.setMinimumIdle(0);
        long borrowMs = Math.max(MIN_BORROW_TIMEOUT.toMillis(), borrowTimeout.toMillis());
        c.setConnectionTimeout(borrowMs);
        // Hikari's liveness check of an idle connection on borrow must fit in the borrow timeout.
        c.setValidationTimeout(Math.max(MIN_BORROW_TIMEOUT.toMillis(), Math.min(borrowMs, 2_000)));
        c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        c.setInitializationFailTimeout(-1);
        c.addDataSourceProperty("ApplicationName", "pgmesh-" + group.name());
        c.addDataSourceProperty("connectTimeout", String.valueOf(ceilSeconds(connectTimeout)));
        c.addDataSourceProperty("loginTimeout", String.valueOf(ceilSeconds(connectTimeout) + 2));
        c.addDataSourceProperty("socketTimeout", String.valueOf(ceilSeconds(socketTimeout)));
        c.addDataSourceProperty("tcpKeepAlive", "true");
        if (serverCa != null) {
            c.addDataSourceProperty("sslmode", "verify-full");
            c.addDataSourceProperty("sslrootcert", serverCa.toString());
        }
        return c;
    }

    @Override
    public PooledDataSource create(NodeEndpoint node, GroupSpec group, Login login, int maxConnections) {
        return new HikariPooledDataSource(new HikariDataSource(configFor(node, group, login, maxConnections)));
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }

    /** A {@link HikariDataSource} as a {@link PooledDataSource}. */
    public static final class HikariPooledDataSource implements PooledDataSource {
        private final HikariDataSource ds;

        public HikariPooledDataSource(HikariDataSource ds) {
            this.ds = ds;
        }

        public HikariDataSource hikari() {
            return ds;
        }

        @Override
        public DataSource dataSource() {
            return ds;
        }

        @Override
        public void evict(Connection connection) {
            ds.evictConnection(connection);
        }

        @Override
        public void resize(int maxConnections) {
            ds.getHikariConfigMXBean().setMaximumPoolSize(maxConnections);
        }

        @Override
        public int maxConnections() {
            return ds.getHikariConfigMXBean().getMaximumPoolSize();
        }

        @Override
        public void close() {
            ds.close();
        }

        @Override
        public String toString() {
            return ds.getPoolName();
        }
    }
}
