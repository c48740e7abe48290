package io.pgmesh.junit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example from the README: a 2-node cluster for this class through {@code @PgMesh}; a row written on node0
 * is read on node1, and the nodes are identical.
 */
@PgMesh(nodes = 2)
class MeshExampleIT {

    @Test
    void aRowInsertedOnNode0IsReadOnNode1(PgMeshCluster mesh) throws SQLException {
        assertThat(mesh.nodes()).containsExactly("node0", "node1");
        assertThat(mesh.jdbcUrls()).hasSize(2).allMatch(url -> url.startsWith("jdbc:postgresql://127.0.0.1:"));
        String value = "hello-" + UUID.randomUUID();

        var writer = mesh.writerCredentials();
        try (Connection node0 = DriverManager.getConnection(mesh.jdbcUrls().get(0), writer.user(), writer.password());
             PreparedStatement insert = node0.prepareStatement("INSERT INTO table1 (col2) VALUES (?)")) {
            insert.setString(1, value);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        var reader = mesh.readerCredentials();
        try (Connection node1 = DriverManager.getConnection(mesh.jdbcUrls().get(1), reader.user(), reader.password());
             PreparedStatement select = node1.prepareStatement("SELECT count(*) FROM table1 WHERE col2 = ?")) {
            select.setString(1, value);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> count(select) == 1);
        }

        assertThat(mesh.check()).isTrue();
    }

    @Test
    void theWriterConnectionReachesEveryNodeAndTheSameClusterIsInjectedAgain(PgMeshCluster mesh) throws SQLException {
        for (int node = 0; node < mesh.nodes().size(); node++) {
            try (Connection c = mesh.connection(node);
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_user, current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("testwriter");
                assertThat(rs.getString(2)).isEqualTo(mesh.database());
            }
        }
        assertThat(mesh.awaitReplicated(Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(30));
    }

    private static long count(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
