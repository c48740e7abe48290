package io.pgmesh.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HikariDataSourceFactoryTest {

    private static final NodeEndpoint N1 = new NodeEndpoint("n1", "127.0.0.1", 55001);
    private static final Login WRITER = new Login("app_writer", "s3cret");

    @Test
    void configForANodeAndGroup() {
        HikariDataSourceFactory factory = new HikariDataSourceFactory("pgmesh-test db", Duration.ofSeconds(3));
        HikariConfig c = factory.configFor(N1, new GroupSpec("writer1", GroupRole.WRITER, 20, false), WRITER, 7);
        assertThat(c.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55001/pgmesh-test%20db");
        assertThat(c.getUsername()).isEqualTo("app_writer");
        assertThat(c.getPassword()).isEqualTo("s3cret");
        assertThat(c.isAutoCommit()).isFalse();
        assertThat(c.getMaximumPoolSize()).isEqualTo(7);
        assertThat(c.getMinimumIdle()).isZero();
        assertThat(c.getConnectionTimeout()).isEqualTo(3_000);
        assertThat(c.getValidationTimeout()).isBetween(250L, 3_000L);
        assertThat(c.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(c.getPoolName()).isEqualTo("pgmesh-writer1-n1");
        assertThat(c.getDataSourceProperties())
                .containsEntry("ApplicationName", "pgmesh-writer1")
                .containsEntry("connectTimeout", "3")
                .containsEntry("socketTimeout", "60")
                .containsKey("loginTimeout");
        c.validate(); // Hikari accepts it as is

        HikariConfig reader = factory.configFor(N1, new GroupSpec("reader1", GroupRole.READER, 2, true),
                new Login("app_reader", "x"), 1);
        assertThat(reader.isAutoCommit()).isTrue();
        assertThat(reader.getPoolName()).isEqualTo("pgmesh-reader1-n1");
    }

    @Test
    void jdbcUrlEncodesTheDatabaseAndBracketsIpv6() {
        assertThat(HikariDataSourceFactory.jdbcUrl(N1, "pgmesh-test")).isEqualTo(
                "jdbc:postgresql://127.0.0.1:55001/pgmesh-test");
        assertThat(HikariDataSourceFactory.jdbcUrl(N1, "a/b?c&d")).isEqualTo(
                "jdbc:postgresql://127.0.0.1:55001/a%2Fb%3Fc%26d");
        assertThat(HikariDataSourceFactory.jdbcUrl(new NodeEndpoint("v6", "::1", 5432), "db"))
                .isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void borrowTimeoutIsRaisedToHikarisFloorAndDriverTimeoutsAreConfigurable() {
        HikariDataSourceFactory factory = new HikariDataSourceFactory("db", Duration.ofMillis(100),
                Duration.ofMillis(1_500), Duration.ZERO);
        HikariConfig c = factory.configFor(N1, new GroupSpec("g", GroupRole.WRITER, 1, true), WRITER, 1);
        assertThat(c.getConnectionTimeout()).isEqualTo(250);
        assertThat(c.getDataSourceProperties())
                .containsEntry("connectTimeout", "2")
                .containsEntry("socketTimeout", "0");
        c.validate();
        assertThat(c.getConnectionTimeout()).isEqualTo(250);
    }

    /** Real HikariCP and driver against ports nobody listens on: nothing connects at start, borrows fail over. */
    @Test
    void realHikariPoolsAgainstDeadPortsMarkNodesDownAndFailWith08001() throws Exception {
        NodeEndpoint a = new NodeEndpoint("a", "127.0.0.1", freePort());
        NodeEndpoint b = new NodeEndpoint("b", "127.0.0.1", freePort());
        MeshPoolConfig config = MeshPoolConfig.builder("pgmesh-test")
                .node(a).node(b)
                .login(GroupRole.WRITER, "w", "pw")
                .group("w", GroupRole.WRITER, 5, true)
                .borrowTimeout(Duration.ofMillis(250))
                .downNodeRetryAfter(Duration.ofSeconds(30))
                .build();
        try (MeshPool pool = MeshPool.open(config)) {
            assertThat(pool.poolSizes()).isEqualTo(Map.of("w", Map.of("a", 3, "b", 2)));
            SQLException e = catchThrowableOfType(SQLException.class, () -> pool.borrow("w"));
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).contains("group 'w'").contains("a (127.0.0.1:" + a.port() + ")")
                    .contains("b (127.0.0.1:" + b.port() + ")");
            assertThat(e.getMessage()).as("the driver's cause is shown").contains("refused");
            assertThat(pool.downNodes()).containsExactly("a", "b");

            // resize through Hikari's MXBean on a re-split
            pool.updateNodes(List.of(a));
            assertThat(pool.poolSizes()).isEqualTo(Map.of("w", Map.of("a", 5)));
        }
    }

    @Test
    void hikariPooledDataSourceResizesAndCloses() {
        HikariDataSourceFactory factory = new HikariDataSourceFactory("db", Duration.ofSeconds(1));
        PooledDataSource ds = factory.create(N1, new GroupSpec("g", GroupRole.WRITER, 4, true), WRITER, 4);
        try {
            assertThat(ds.maxConnections()).isEqualTo(4);
            ds.resize(9);
            assertThat(ds.maxConnections()).isEqualTo(9);
            assertThat(((HikariDataSourceFactory.HikariPooledDataSource) ds).hikari().getMaximumPoolSize())
                    .isEqualTo(9);
        } finally {
            ds.close();
        }
        assertThat(((HikariDataSourceFactory.HikariPooledDataSource) ds).hikari().isClosed()).isTrue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
