package com.example.orders;

import io.pgmesh.junit.PgMesh;
import io.pgmesh.junit.PgMeshCluster;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's test: a 2-node pgmesh cluster for the class; a row written on node0 is read on node1. */
@PgMesh(nodes = 2)
class OrderReplicationTest {

    @Test
    void aRowInsertedOnNode0IsOnNode1(PgMeshCluster mesh) throws Exception {
        String value = "order-" + UUID.randomUUID();

        try (Connection node0 = mesh.connection(0);
             PreparedStatement insert = node0.prepareStatement("INSERT INTO table1 (col2) VALUES (?)")) {
            insert.setString(1, value);
            assertEquals(1, insert.executeUpdate());
        }

        mesh.awaitReplicated(Duration.ofSeconds(30));
        assertTrue(mesh.check(), "every node holds the same rows");

        try (Connection node1 = DriverManager.getConnection(mesh.jdbcUrls().get(1),
                mesh.readerCredentials().user(), mesh.readerCredentials().password());
             PreparedStatement select = node1.prepareStatement("SELECT count(*) FROM table1 WHERE col2 = ?")) {
            select.setString(1, value);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getLong(1), "the row written on node0 is on node1");
            }
        }
    }
}
