package io.pgmesh.node.pg;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * JDBC connections to the local server: unix socket, peer authentication as user postgres.
 * {@link #open} makes a new session for each unit of work (setup steps may change session
 * state). {@link #openForReading} lends one from a small per-database pool, for the read-only
 * calls the orchestrator polls (a new backend costs more than the queries).
 */
public final class NodeConnections implements AutoCloseable {

    public static final String MAINTENANCE_DB = "postgres";
    private final Path socketFile;

    public NodeConnections(Path socketFile) {
        this.socketFile = socketFile;
    }

    /** An autocommit connection to {@code database} (CREATE DATABASE / SUBSCRIPTION need autocommit). */
    private final Map<String, HikariDataSource> readPools = new ConcurrentHashMap<>();

    public Connection open(String database) throws SQLException {
        Connection connection = DriverManager.getConnection(url(database), properties());
        connection.setAutoCommit(true);
        return connection;
    }

    /** A pooled, read-only session on {@code database}; closing it gives it back. */
    public Connection openForReading(String database) throws SQLException {
        return readPools.computeIfAbsent(database, this::readPool).getConnection();
    }

    private HikariDataSource readPool(String database) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pgmesh-read-" + database);
        config.setJdbcUrl(url(database));
        config.setDataSourceProperties(properties());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setReadOnly(true);
        config.setAutoCommit(true);
        // PostgreSQL down: answer "not accepting connections" soon, and do not fail at creation
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(500);
        config.setInitializationFailTimeout(-1);
        config.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        return new HikariDataSource(config);
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    private Properties properties() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        props.setProperty("socketFactoryArg", socketFile.toString());
        props.setProperty("ApplicationName", "pgmesh-node-daemon");
        props.setProperty("connectTimeout", "5");
        props.setProperty("sslmode", "disable");
        return props;
    }

    @Override
    public void close() {
        readPools.values().forEach(HikariDataSource::close);
        readPools.clear();
    }
}
