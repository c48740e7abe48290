package io.pgmesh.node.pg;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conflict triggers on one real PostgreSQL 17, no mesh: the table is set up by the daemon's
 * own code ({@link DatabaseSetup}, {@link TableSetup}) as node 1, local writes run as an ordinary
 * session (session_replication_role = origin), and a peer's changes are replayed the way an apply
 * worker applies them (session_replication_role = replica, the peer's versions as they are, a
 * delete preceded by its tombstone in the same transaction). Each case checks the rows and the
 * conflict records the triggers wrote, not SQL text.
 */
class TriggersIT {

    private static final String CLUSTER = "pgmesh-it-triggers";
    private static final String DB = "lb-test";
    private static final int NODE = 1;
    private static final TableSpec TABLE = new TableSpec("t1", List.of(
            new ColumnSpec("id", "bigserial", true, false, null),
            new ColumnSpec("val", "text", false, false, null)));
    private static final String ROW_COLUMNS = "id, val, created_ts, modified_ts, modified_by, prev_modified_ts, prev_modified_by";

    private static PostgresContainer pg;
    private static Connection db;
    private static List<String> firstSetup;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PostgresContainer.start(CLUSTER);
        try (Connection postgres = pg.connect("postgres")) {
            DatabaseSetup setup = new DatabaseSetup(postgres, new StepLog("node1"));
            setup.ensureRole(new Credentials("admin", "owner-pw"), false);
            setup.ensureDatabase(DB, "admin");
        }
        db = pg.connect(DB);
        firstSetup = setUpTable();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** What createReplicaTable does to the table itself (no publication, no grants), as node 1; returns the actions. */
    private static List<String> setUpTable() throws SQLException {
        StepLog steps = new StepLog("node1");
        TableSetup tables = new TableSetup(db, steps);
        tables.ensureTable(TABLE);
        tables.ensureOwner(TABLE.name(), "admin");
        tables.ensureKeyRange(TABLE, NODE);
        tables.ensureConflictLog("admin");
        tables.ensureTombstoneTable(TABLE.name(), "admin");
        tables.ensureVersionTriggers(TABLE, NODE, "admin");
        tables.ensureUpdateNotes(TABLE, "admin");
        tables.ensureTruncateGuard(TABLE.name(), "admin");
        tables.ensureSchemaVersion("admin");
        return steps.actions();
    }

    @Test
    void settingUpAgainChangesNothing() throws SQLException {
        assertThat(firstSetup).contains("created table t1", "created conflict log pgmesh_conflicts",
                "created tombstone table pgmesh_tombstones_t1",
                "created schema version table pgmesh_schema_version at version 2 (found in place)");
        assertThat(setUpTable()).isEmpty();
    }

    @Test
    void aLocalWriteIsStampedAfterTheVersionItReplaces() throws SQLException {
        OffsetDateTime future = now().plusHours(1);
        remote(101, "peer", future, future, 2, null, null, "INSERT");
        local("UPDATE t1 SET val = 'local' WHERE id = 101");
        Row row = row(101);
        assertThat(row.val).isEqualTo("local");
        assertThat(row.modifiedTs).isEqualTo(future.plus(1, ChronoUnit.MICROS));
        assertThat(row.modifiedBy).isEqualTo(NODE);
        assertThat(row.prevTs).isEqualTo(future);
        assertThat(row.prevBy).isEqualTo(2);
        assertThat(row.createdTs).isEqualTo(future);

        OffsetDateTime before = now();
        local("INSERT INTO t1 (id, val) VALUES (102, 'fresh')");
        Row fresh = row(102);
        assertThat(fresh.createdTs).isEqualTo(fresh.modifiedTs).isAfterOrEqualTo(before);
        assertThat(fresh.modifiedBy).isEqualTo(NODE);
        assertThat(fresh.prevTs).isNull();
        assertThat(fresh.prevBy).isNull();
        assertThat(conflicts(101)).isEmpty();
        assertThat(conflicts(102)).isEmpty();
    }

    @Test
    void aNewerUpdateWinsAndIsLoggedOnlyWhenItsWriterHadNotSeenTheLocalVersion() throws SQLException {
        local("INSERT INTO t1 (id, val) VALUES (201, 'local')");
        Row local = row(201);
        OffsetDateTime second = local.modifiedTs.plusSeconds(1);
        remote(201, "successor", local.createdTs, second, 2, local.modifiedTs, NODE, "UPDATE");
        assertThat(row(201).val).isEqualTo("successor");
        assertThat(conflicts(201)).isEmpty();

        OffsetDateTime third = local.modifiedTs.plusSeconds(2);
        remote(201, "concurrent", local.createdTs, third, 3, local.modifiedTs, NODE, "UPDATE");
        Row won = row(201);
        assertThat(won.val).isEqualTo("concurrent");
        assertThat(won.modifiedTs).isEqualTo(third);
        assertThat(won.modifiedBy).isEqualTo(3);
        assertThat(conflicts(201)).containsExactly("update_update won by remote");
    }

    @Test
    void anOlderUpdateIsSkippedAndLogged() throws SQLException {
        local("INSERT INTO t1 (id, val) VALUES (301, 'local')");
        Row local = row(301);
        remote(301, "older", local.createdTs, local.modifiedTs.minusSeconds(1), 2, local.modifiedTs.minusSeconds(2), 2,
                "UPDATE");
        Row kept = row(301);
        assertThat(kept.val).isEqualTo("local");
        assertThat(kept.modifiedTs).isEqualTo(local.modifiedTs);
        assertThat(kept.modifiedBy).isEqualTo(NODE);
        assertThat(conflicts(301)).containsExactly("update_update won by local");
    }

    @Test
    void aDeleteWinsOverAConcurrentUpdate() throws SQLException {
        local("INSERT INTO t1 (id, val) VALUES (401, 'v1')");
        Row seen = row(401);
        local("UPDATE t1 SET val = 'v2' WHERE id = 401");
        // node 2 deleted the row having seen only the first version
        remoteDelete(401, seen.createdTs.plus(1, ChronoUnit.MILLIS), 2, seen.modifiedTs, NODE);
        assertThat(row(401)).isNull();
        assertThat(conflicts(401)).containsExactly("delete_update won by remote");
    }

    @Test
    void anInsertAfterTheDeleteSurvivesIt() throws SQLException {
        local("INSERT INTO t1 (id, val) VALUES (501, 'reinserted')");
        Row row = row(501);
        // node 2 deleted an earlier incarnation of the key, before this one was inserted
        OffsetDateTime deleted = row.createdTs.minusHours(1);
        remoteDelete(501, deleted, 2, deleted.minusSeconds(1), 2);
        assertThat(row(501)).isNotNull();
        assertThat(row(501).val).isEqualTo("reinserted");
        assertThat(conflicts(501)).containsExactly("delete_reinsert won by local");
    }

    @Test
    void anInsertStampedBeforeADeleteDoesNotComeBack() throws SQLException {
        OffsetDateTime deleted = now().minusHours(1);
        // the delete's tombstone arrives first (from node 2), then node 3's older insert of the key
        replica(c -> tombstone(c, 601, deleted, 2, deleted.minusSeconds(10), 3));
        remote(601, "stale", deleted.minusMinutes(5), deleted.minusMinutes(5), 3, null, null, "INSERT");
        assertThat(row(601)).isNull();
        assertThat(conflicts(601)).containsExactly("insert_deleted won by local");
    }

    @Test
    void aLocalInsertIsStampedAfterEveryDeleteOfTheKeyTheNodeKnows() throws SQLException {
        OffsetDateTime deleted = now().plusHours(1);
        replica(c -> tombstone(c, 602, deleted, 2, deleted.minusSeconds(1), 2));
        local("INSERT INTO t1 (id, val) VALUES (602, 'after')");
        Row row = row(602);
        assertThat(row.createdTs).isEqualTo(deleted.plus(1, ChronoUnit.MICROS));
        assertThat(row.modifiedTs).isEqualTo(row.createdTs);
        assertThat(row.modifiedBy).isEqualTo(NODE);
    }

    @Test
    void aLocalDeleteLeavesATombstoneOfTheVersionItSaw() throws SQLException {
        local("INSERT INTO t1 (id, val) VALUES (701, 'doomed')");
        Row row = row(701);
        local("DELETE FROM t1 WHERE id = 701");
        assertThat(row(701)).isNull();
        try (PreparedStatement ps = db.prepareStatement("SELECT deleted_ts, deleted_by, row_modified_ts,"
                + " row_modified_by FROM pgmesh_tombstones_t1 WHERE id = 701")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, OffsetDateTime.class)).isAfter(row.modifiedTs);
                assertThat(rs.getInt(2)).isEqualTo(NODE);
                assertThat(rs.getObject(3, OffsetDateTime.class)).isEqualTo(row.modifiedTs);
                assertThat(rs.getInt(4)).isEqualTo(NODE);
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(conflicts(701)).isEmpty();
    }

    @Test
    void aLocalTruncateIsRefused() {
        assertThatThrownBy(() -> local("TRUNCATE t1")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                .hasMessageContaining("TRUNCATE of the replicated table t1 is refused");
    }

    // --- helpers -----------------------------------------------------------------------------

    private record Row(String val, OffsetDateTime createdTs, OffsetDateTime modifiedTs, int modifiedBy,
                       OffsetDateTime prevTs, Integer prevBy) {
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static void local(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    /** Work as an apply worker does it: one transaction with session_replication_role = replica. */
    private static void replica(Work work) throws SQLException {
        db.setAutoCommit(false);
        try {
            try (Statement s = db.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            work.run(db);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** A peer's insert or update of the row, carrying the peer's version. */
    private static void remote(long id, String val, OffsetDateTime created, OffsetDateTime modified, int by,
                               OffsetDateTime prevTs, Integer prevBy, String op) throws SQLException {
        String sql = op.equals("INSERT")
                ? "INSERT INTO t1 (val, created_ts, modified_ts, modified_by, prev_modified_ts, prev_modified_by, id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE t1 SET val = ?, created_ts = ?, modified_ts = ?, modified_by = ?, prev_modified_ts = ?,"
                + " prev_modified_by = ? WHERE id = ?";
        replica(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, val);
                ps.setObject(2, created);
                ps.setObject(3, modified);
                ps.setInt(4, by);
                ps.setObject(5, prevTs);
                ps.setObject(6, prevBy, java.sql.Types.INTEGER);
                ps.setLong(7, id);
                ps.executeUpdate();
            }
        });
    }

    /** A peer's delete: its tombstone, then the delete, in one transaction (as published). */
    private static void remoteDelete(long id, OffsetDateTime deleted, int by, OffsetDateTime seenTs, int seenBy)
            throws SQLException {
        replica(c -> {
            tombstone(c, id, deleted, by, seenTs, seenBy);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM t1 WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        });
    }

    private static void tombstone(Connection c, long id, OffsetDateTime deleted, int by, OffsetDateTime seenTs,
                                  int seenBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pgmesh_tombstones_t1 (id, deleted_ts, deleted_by,"
                + " row_modified_ts, row_modified_by) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setObject(2, deleted);
            ps.setInt(3, by);
            ps.setObject(4, seenTs);
            ps.setInt(5, seenBy);
            ps.executeUpdate();
        }
    }

    private static Row row(long id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + ROW_COLUMNS + " FROM t1 WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Row(rs.getString("val"), rs.getObject("created_ts", OffsetDateTime.class),
                        rs.getObject("modified_ts", OffsetDateTime.class), rs.getInt("modified_by"),
                        rs.getObject("prev_modified_ts", OffsetDateTime.class),
                        (Integer) rs.getObject("prev_modified_by"));
            }
        }
    }

    /** The conflicts the triggers recorded for the key, oldest first, as "kind won by winner". */
    private static List<String> conflicts(long id) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT kind, winner FROM pgmesh_conflicts"
                + " WHERE table_name = 't1' AND id = ? ORDER BY seq")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1) + " won by " + rs.getString(2));
                }
            }
        }
        return found;
    }
}
