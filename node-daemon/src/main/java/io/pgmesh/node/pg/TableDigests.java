package io.pgmesh.node.pg;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.SettledCutoffs;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the digest or the row hashes of a table in one read-only REPEATABLE READ transaction
 * with the settings of {@link TableDigestSql#SNAPSHOT_SETTINGS}. Changes nothing.
 *
 * <p>With {@link SettledCutoffs}, only settled rows are digested and hashed; the keys with an
 * unsettled version or delete are listed apart, so the caller can leave them out of a comparison.
 */
public final class TableDigests {

    private static final Logger log = LoggerFactory.getLogger(TableDigests.class);

    private final Connection connection;
    private final String node;

    public TableDigests(Connection connection, String node) {
        this.connection = connection;
        this.node = node;
    }

    /**
     * Rows and checksum of the (settled rows of the) table, overall and per non-empty bucket, without
     * the keys left out; with cutoffs, also the keys this node holds an unsettled change of (when there
     * are at most {@link DigestRequest#MAX_LEFT_OUT}).
     */
    public TableDigest digest(String table, String keyColumn, int buckets, SettledCutoffs settled, List<Long> leftOut)
            throws SQLException {
        log.info("[{}] digesting table {} in {} buckets{}{}", node, table, buckets, describe(settled),
                leftOut.isEmpty() ? "" : ", leaving out " + leftOut.size() + " keys");
        List<BucketDigest> digests = new ArrayList<>();
        long rows = 0;
        BigInteger checksum = BigInteger.ZERO;
        Long maxKey;
        try (ReadSnapshot ignored = new ReadSnapshot(connection)) {
            try (PreparedStatement ps = connection.prepareStatement(TableDigestSql.bucketDigests(table, keyColumn,
                    windowed(settled)))) {
                setParameters(ps, buckets, settled);
                ps.setArray(4, connection.createArrayOf("bigint", leftOut.toArray()));
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

    /**
     * The keys with an unsettled version or delete, ordered, when there are at most
     * {@link DigestRequest#MAX_LEFT_OUT}; otherwise none and not complete.
     */
    public UnsettledKeys unsettledKeys(String table, String keyColumn, SettledCutoffs settled) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (ReadSnapshot ignored = new ReadSnapshot(connection);
             PreparedStatement ps = connection.prepareStatement(TableDigestSql.unsettledKeys(table, keyColumn))) {
            setParameters(ps, 1, settled);
            ps.setInt(4, DigestRequest.MAX_LEFT_OUT + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        boolean complete = keys.size() <= DigestRequest.MAX_LEFT_OUT;
        log.info("[{}] {} keys of table {} have an unsettled change{}", node, complete ? keys.size() : "more than "
                + DigestRequest.MAX_LEFT_OUT, table, describe(settled));
        return new UnsettledKeys(node, table, complete ? keys : List.of(), complete);
    }

    /**
     * Key and hash of every settled row in the given buckets, ordered by key, and the keys of those
     * buckets with an unsettled version or delete on this node.
     */
    public RowHashes rowHashes(String table, String keyColumn, int buckets, List<Integer> bucketIndexes,
                               SettledCutoffs settled) throws SQLException {
        log.info("[{}] listing row hashes of table {}, {} of {} buckets{}", node, table, bucketIndexes.size(), buckets,
                describe(settled));
        List<RowHashes.RowHash> rows = new ArrayList<>();
        TreeSet<Long> unsettled = new TreeSet<>();
        try (ReadSnapshot ignored = new ReadSnapshot(connection)) {
            Array indexes = connection.createArrayOf("integer", bucketIndexes.toArray());
            try (PreparedStatement ps = connection.prepareStatement(TableDigestSql.rowHashes(table, keyColumn,
                    windowed(settled)))) {
                setParameters(ps, buckets, settled);
                ps.setArray(4, indexes);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getBoolean(3)) {
                            rows.add(new RowHashes.RowHash(rs.getLong(1), Long.toString(rs.getLong(2))));
                        } else {
                            unsettled.add(rs.getLong(1));
                        }
                    }
                }
            }
            if (settled != null) {
                try (PreparedStatement ps = connection.prepareStatement(TableDigestSql.unsettledDeletes(table))) {
                    setParameters(ps, buckets, settled);
                    ps.setArray(4, indexes);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            unsettled.add(rs.getLong(1));
                        }
                    }
                }
            }
        }
        return new RowHashes(node, table, rows, List.copyOf(unsettled));
    }

    /** Parameters 1-3 of {@link TableDigestSql}'s statements: the bucket count, the cutoffs, the window starts. */
    private void setParameters(PreparedStatement ps, int buckets, SettledCutoffs settled) throws SQLException {
        ps.setInt(1, buckets);
        ps.setArray(2, connection.createArrayOf("text", byOriginTexts(settled == null ? Map.of() : settled.byOrigin())));
        ps.setArray(3, connection.createArrayOf("text", byOriginTexts(settled == null ? Map.of() : settled.since())));
    }

    private static boolean windowed(SettledCutoffs settled) {
        return settled != null && !settled.since().isEmpty();
    }

    /** Instants as text[] indexed by origin + 1 (nulls where an origin has none); empty for none. */
    static String[] byOriginTexts(Map<Integer, Instant> byOrigin) {
        String[] texts = new String[byOrigin.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1];
        byOrigin.forEach((origin, instant) -> texts[origin] = instant.toString());
        return texts;
    }

    private static String describe(SettledCutoffs settled) {
        if (settled == null) {
            return "";
        }
        return ", settled changes only (" + settled.origins().size() + " origin cutoffs"
                + (settled.since().isEmpty() ? "" : ", changed since a window start") + ")";
    }
}
