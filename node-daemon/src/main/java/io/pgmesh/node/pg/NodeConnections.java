package io.pgmesh.node.pg;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to the local server: unix socket, peer authentication as user postgres. */
public final class NodeConnections {

    public static final String MAINTENANCE_DB = "postgres";
    private final Path socketFile;

    public NodeConnections(Path socketFile) {
        this.socketFile = socketFile;
    }

    /** An autocommit connection to {@code database} (CREATE DATABASE / SUBSCRIPTION need autocommit). */
    public Connection open(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
        props.setProperty("socketFactoryArg", socketFile.toString());
        props.setProperty("ApplicationName", "pgmesh-node-daemon");
        props.setProperty("connectTimeout", "5");
        props.setProperty("sslmode", "disable");
        String url = "jdbc:postgresql://localhost/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
        Connection connection = DriverManager.getConnection(url, props);
        connection.setAutoCommit(true);
        return connection;
    }
}
