package io.pgmesh.pool;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One connection pool for one (group, node): a DataSource that can evict a connection, be resized and closed. */
public interface PooledDataSource extends AutoCloseable {

    DataSource dataSource();

    default Connection getConnection() throws SQLException {
        return dataSource().getConnection();
    }

    /** Removes a (possibly still borrowed) connection from the pool; it is closed once given back. */
    void evict(Connection connection);

    /** Sets the pool's maximum number of connections. */
    void resize(int maxConnections);

    int maxConnections();

    @Override
    void close();
}
