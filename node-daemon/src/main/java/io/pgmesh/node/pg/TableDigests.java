package io.pgmesh.node.pg;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.TableDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the digest or the row hashes of a table in one read-only REPEATABLE READ transaction
 * with the settings of {@link TableDigestSql#SNAPSHOT_SETTINGS}. Changes nothing.
 */
public final class TableDigests {

    private static final Logger log = LoggerFactory.getLogger(TableDigests.class);

    private final Connection connection;
    private final String node;

    public TableDigests(Connection connection, String node) {
        this.connection = connection;
        this.node = node;
    }

    /** Rows and checksum of the table, overall and per non-empty bucket. */
    public TableDigest digest(String table, String keyColumn, int buckets) throws SQLException {
        log.info("[{}] digesting table {} in {} buckets", node, table, buckets);
        List<BucketDigest> digests = new ArrayList<>();
        long rows = 0;
        BigInteger checksum = BigInteger.ZERO;
        Long maxKey;
        try (ReadSnapshot ignored = new ReadSnapshot(connection)) {
            try (PreparedStatement ps = connection.prepareStatement(TableDigestSql.bucketDigests(table, keyColumn))) {
                ps.setInt(1, buckets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BigInteger sum = rs.getBigDecimal(3).toBigIntegerExact();
                        digests.add(new BucketDigest(rs.getInt(1), rs.getLong(2), sum.toString()));
                        rows += rs.getLong(2);
                        checksum = checksum.add(sum);
                    }
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(TableDigestSql.maxKey(table, keyColumn));
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                maxKey = (Long) rs.getObject(1);
            }
        }
        return new TableDigest(node, table, rows, checksum.toString(), digests, maxKey);
    }

    /** Key and hash of every row in the given buckets, ordered by key. */
    public RowHashes rowHashes(String table, String keyColumn, int buckets, List<Integer> bucketIndexes)
            throws SQLException {
        log.info("[{}] listing row hashes of table {}, {} of {} buckets", node, table, bucketIndexes.size(), buckets);
        List<RowHashes.RowHash> rows = new ArrayList<>();
        try (ReadSnapshot ignored = new ReadSnapshot(connection);
             PreparedStatement ps = connection.prepareStatement(TableDigestSql.rowHashes(table, keyColumn))) {
            ps.setInt(1, buckets);
            ps.setArray(2, connection.createArrayOf("integer", bucketIndexes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RowHashes.RowHash(rs.getLong(1), Long.toString(rs.getLong(2))));
                }
            }
        }
        return new RowHashes(node, table, rows);
    }
}
