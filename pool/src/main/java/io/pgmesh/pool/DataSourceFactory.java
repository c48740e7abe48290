package io.pgmesh.pool;

/** Creates the pool of one (group, node). {@link HikariDataSourceFactory} is the real one; tests use fakes. */
@FunctionalInterface
public interface DataSourceFactory {
    PooledDataSource create(NodeEndpoint node, GroupSpec group, Login login, int maxConnections);
}
