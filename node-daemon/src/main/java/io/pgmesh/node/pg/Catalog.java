package io.pgmesh.node.pg;

import io.pgmesh.protocol.PublicationInfo;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.SlotRetention;
import io.pgmesh.protocol.SubscriberProgress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only questions to the catalog of the database a connection is on. Values go through '?'. */
public final class Catalog {

    /** A role's attributes and SCRAM verifier (pg_authid.rolpassword; null when it has none). */
    public record Role(String name, boolean canLogin, boolean replication, String passwordVerifier) {
    }

    /** A row of pg_subscription joined with its apply worker's pg_stat_subscription row. */
    public record SubscriptionRow(String name, boolean enabled, List<String> publications, Integer workerPid,
                                  String receivedLsn, java.time.OffsetDateTime lastMessageAt, int tablesReady,
                                  int tablesTotal) {
    }

    /**
     * A row of pg_replication_slots: type ('logical' or 'physical'), output plugin and database
     * (null for a physical slot), the pid of the process using it (null when inactive) and, for a
     * logical slot, confirmed_flush_lsn.
     */
    public record SlotRow(String name, String slotType, String plugin, String database, Integer activePid,
                          String confirmedFlushLsn) {
    }

    /** A subscription of this connection's database: enabled flag and connection string. */
    public record SubscriptionSetting(String name, boolean enabled, String conninfo) {
    }

    private final Connection connection;

    public Catalog(Connection connection) {
        this.connection = connection;
    }

    public String serverVersion() throws SQLException {
        return single("SELECT current_setting('server_version')");
    }

    public Optional<Role> role(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT rolcanlogin, rolreplication, rolpassword FROM pg_authid WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Role(name, rs.getBoolean(1), rs.getBoolean(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** The owner of {@code database}, empty when the database does not exist. */
    public Optional<String> databaseOwner(String database) throws SQLException {
        return optional("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?", database);
    }

    public boolean hasDatabasePrivilege(String role, String database, String privilege) throws SQLException {
        return bool("SELECT has_database_privilege(?, ?, ?)", role, database, privilege);
    }

    /** The server's clock (statement_timestamp(): now() would be the start of an open transaction). */
    public java.time.Instant now() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT statement_timestamp()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    public boolean tableExists(String table) throws SQLException {
        return bool("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?)",
                Sql.SCHEMA, table);
    }

    public Optional<String> tableOwner(String table) throws SQLException {
        return optional("SELECT tableowner FROM pg_tables WHERE schemaname = ? AND tablename = ?", Sql.SCHEMA, table);
    }

    /** The columns of a table other than pgmesh's system columns, in order. */
    public List<ExistingColumn> userColumns(String table, java.util.Set<String> systemColumns) throws SQLException {
        List<ExistingColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                FROM pg_attribute a
                WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass
                  AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            ps.setString(1, Sql.SCHEMA);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!systemColumns.contains(rs.getString(1))) {
                        columns.add(new ExistingColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                    }
                }
            }
        }
        return columns;
    }

    /** Whether the table has a (not dropped) column of this name. */
    public boolean columnExists(String table, String column) throws SQLException {
        return bool("""
                SELECT EXISTS (SELECT 1 FROM pg_attribute
                WHERE attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass
                  AND attname = ? AND attnum > 0 AND NOT attisdropped)""", Sql.SCHEMA, table, column);
    }

    /** The columns of the table's primary key, in key order; empty when it has none. */
    public List<ExistingColumn> primaryKeyColumns(String table) throws SQLException {
        List<ExistingColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND i.indisprimary
                ORDER BY array_position(i.indkey::smallint[], a.attnum)""")) {
            ps.setString(1, Sql.SCHEMA);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ExistingColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return columns;
    }

    /** Name (in the table's schema) of the sequence behind a serial column. */
    public Optional<String> serialSequence(String table, String column) throws SQLException {
        return optional("""
                SELECT c.relname FROM pg_class c
                WHERE c.oid = pg_get_serial_sequence(quote_ident(?) || '.' || quote_ident(?), ?)::regclass""",
                Sql.SCHEMA, table, column);
    }

    /** The highest key in {@code first..last} of a table's key column, empty when it holds none there. */
    public java.util.OptionalLong highestKeyIn(String table, String keyColumn, long first, long last)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT max(" + Sql.ident(keyColumn) + ") FROM "
                + Sql.table(table) + " WHERE " + Sql.ident(keyColumn) + " BETWEEN ? AND ?")) {
            ps.setLong(1, first);
            ps.setLong(2, last);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long max = rs.getLong(1);
                return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(max);
            }
        }
    }

    /** The value a sequence last gave out (pg_sequences.last_value), empty when it never gave one. */
    public java.util.OptionalLong sequenceLastValue(String sequence) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT last_value FROM pg_sequences WHERE schemaname = ? AND sequencename = ?")) {
            ps.setString(1, Sql.SCHEMA);
            ps.setString(2, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.OptionalLong.empty();
                }
                long value = rs.getLong(1);
                return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(value);
            }
        }
    }

    /** min_value and max_value of a sequence, empty when it does not exist. */
    public Optional<long[]> sequenceRange(String sequence) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT min_value, max_value FROM pg_sequences WHERE schemaname = ? AND sequencename = ?")) {
            ps.setString(1, Sql.SCHEMA);
            ps.setString(2, sequence);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new long[]{rs.getLong(1), rs.getLong(2)}) : Optional.empty();
            }
        }
    }

    /** Source (prosrc) of a function without arguments in the replicated schema. */
    public Optional<String> functionSource(String function) throws SQLException {
        return optional("""
                SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ? AND p.proname = ? AND p.pronargs = 0""", Sql.SCHEMA, function);
    }

    /** A function as the catalog holds it: body, SECURITY DEFINER, settings (proconfig) and owner. */
    public record FunctionInfo(String source, boolean securityDefiner, List<String> config, String owner) {
    }

    /**
     * The function of a regprocedure signature such as {@code "public"."f"(text, bigint)}, empty
     * when it does not exist.
     */
    public Optional<FunctionInfo> function(String signature) throws SQLException {
        try (PreparedStatement ps = prepare("""
                SELECT p.prosrc, p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner)
                FROM pg_proc p WHERE p.oid = to_regprocedure(?)""", signature);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            java.sql.Array config = rs.getArray(3);
            List<String> settings = config == null ? List.of() : List.of((String[]) config.getArray());
            return Optional.of(new FunctionInfo(rs.getString(1), rs.getBoolean(2), settings, rs.getString(4)));
        }
    }

    /** Whether any trigger of the database calls the function of this regprocedure signature. */
    public boolean functionUsedByTrigger(String signature) throws SQLException {
        return bool("SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgfoid = to_regprocedure(?))", signature);
    }

    /** Every (not dropped) column of a table, system columns included, in table order. */
    public List<String> columnNames(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = prepare("""
                SELECT a.attname FROM pg_attribute a
                WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass
                  AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""", Sql.SCHEMA, table);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    public boolean indexExists(String index) throws SQLException {
        return bool("SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = ? AND indexname = ?)",
                Sql.SCHEMA, index);
    }

    /** Whether a subscription of this database applies changes to the table (it is in pg_subscription_rel). */
    public boolean subscriptionHasTable(String subscription, String table) throws SQLException {
        return bool("""
                SELECT EXISTS (SELECT 1 FROM pg_subscription_rel r
                JOIN pg_subscription s ON s.oid = r.srsubid
                JOIN pg_database d ON d.oid = s.subdbid AND d.datname = current_database()
                WHERE s.subname = ? AND r.srrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)))""",
                subscription, Sql.SCHEMA, table);
    }

    /** Rows of the conflict log per table; empty when there is no log yet. */
    public Map<String, Long> conflictCounts() throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        if (!tableExists(ConflictDdl.CONFLICTS_TABLE)) {
            return counts;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_name, count(*) FROM "
                + Sql.table(ConflictDdl.CONFLICTS_TABLE) + " GROUP BY table_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /**
     * pg_trigger.tgenabled of a trigger on the table ('O' origin/local, 'R' replica, 'A' always,
     * 'D' disabled), empty when the trigger does not exist.
     */
    public Optional<String> triggerEnabled(String table, String trigger) throws SQLException {
        return optional("""
                SELECT tgenabled::text FROM pg_trigger
                WHERE tgrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND tgname = ?""",
                Sql.SCHEMA, table, trigger);
    }

    public boolean hasTablePrivilege(String role, String table, String privilege) throws SQLException {
        return bool("SELECT has_table_privilege(?, quote_ident(?) || '.' || quote_ident(?), ?)",
                role, Sql.SCHEMA, table, privilege);
    }

    public boolean hasSequencePrivilege(String role, String sequence, String privilege) throws SQLException {
        return bool("SELECT has_sequence_privilege(?, quote_ident(?) || '.' || quote_ident(?), ?)",
                role, Sql.SCHEMA, sequence, privilege);
    }

    /** Tables of a publication, empty when the publication does not exist. */
    public Optional<List<String>> publicationTables(String publication) throws SQLException {
        if (!bool("SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ?)", publication)) {
            return Optional.empty();
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = ? AND schemaname = ? ORDER BY 1")) {
            ps.setString(1, publication);
            ps.setString(2, Sql.SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return Optional.of(tables);
    }

    /** The replication slot of this name on the server (any database), empty when there is none. */
    public Optional<SlotRow> slot(String name) throws SQLException {
        try (PreparedStatement ps = prepare("""
                SELECT slot_name, slot_type, plugin, database, active_pid, confirmed_flush_lsn::text
                FROM pg_replication_slots WHERE slot_name = ?""", name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new SlotRow(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), (Integer) rs.getObject(5), rs.getString(6))) : Optional.empty();
        }
    }

    /** A subscription of this connection's database (needs superuser for subconninfo), empty when absent. */
    public Optional<SubscriptionSetting> subscription(String subscription) throws SQLException {
        try (PreparedStatement ps = prepare("""
                SELECT s.subname, s.subenabled, s.subconninfo
                FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid
                WHERE d.datname = current_database() AND s.subname = ?""", subscription);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new SubscriptionSetting(rs.getString(1), rs.getBoolean(2),
                    rs.getString(3))) : Optional.empty();
        }
    }

    /** Whether a subscription of this connection's database has this name. */
    public boolean subscriptionExists(String subscription) throws SQLException {
        return bool("""
                SELECT EXISTS (SELECT 1 FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid
                WHERE d.datname = current_database() AND s.subname = ?)""", subscription);
    }

    public List<PublicationInfo> publications() throws SQLException {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT p.pubname, t.tablename FROM pg_publication p
                LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname
                ORDER BY 1, 2""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> tables = byName.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getString(2) != null) {
                    tables.add(rs.getString(2));
                }
            }
        }
        return byName.entrySet().stream().map(e -> new PublicationInfo(e.getKey(), e.getValue())).toList();
    }

    /**
     * Subscriptions of this database with their leader apply worker, if one runs. A worker that has received nothing
     * yet has no received LSN and no receipt time (PostgreSQL shows that time as -infinity; it comes back null).
     */
    public List<SubscriptionRow> subscriptions() throws SQLException {
        List<SubscriptionRow> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT s.subname, s.subenabled, s.subpublications, w.pid, w.received_lsn::text,
                       CASE WHEN isfinite(w.last_msg_receipt_time) THEN w.last_msg_receipt_time END,
                       rel.ready, rel.total
                FROM pg_subscription s
                JOIN pg_database d ON d.oid = s.subdbid AND d.datname = current_database()
                LEFT JOIN pg_stat_subscription w
                       ON w.subid = s.oid AND w.relid IS NULL AND w.worker_type = 'apply'
                CROSS JOIN LATERAL (
                    SELECT (count(*) FILTER (WHERE r.srsubstate = 'r'))::integer AS ready,
                           count(*)::integer AS total
                    FROM pg_subscription_rel r WHERE r.srsubid = s.oid) rel
                ORDER BY 1""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String[] publications = (String[]) rs.getArray(3).getArray();
                Integer pid = (Integer) rs.getObject(4);
                rows.add(new SubscriptionRow(rs.getString(1), rs.getBoolean(2), List.of(publications), pid,
                        rs.getString(5), rs.getObject(6, java.time.OffsetDateTime.class), rs.getInt(7),
                        rs.getInt(8)));
            }
        }
        return rows;
    }

    /** The server's clock and its wal_receiver_timeout in milliseconds (0: off), read together. */
    public record ReceiverClock(java.time.Instant now, long walReceiverTimeoutMillis) {
    }

    /** What judging a subscription's last message needs besides the message: one round trip. */
    public ReceiverClock receiverClock() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT statement_timestamp(), setting::bigint"
                + " FROM pg_settings WHERE name = 'wal_receiver_timeout'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new ReceiverClock(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(), rs.getLong(2));
        }
    }

    /** This server's current WAL write position, e.g. {@code 0/1A2B3C4}. */
    public Lsn currentWalLsn() throws SQLException {
        return Lsn.parse(single("SELECT pg_current_wal_lsn()::text"));
    }

    /** Every walsender (pg_stat_replication row), by application_name: for an apply walsender the subscription. */
    public List<SubscriberProgress> walSenders() throws SQLException {
        List<SubscriberProgress> senders = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT application_name, state, sent_lsn::text, flush_lsn::text, replay_lsn::text
                FROM pg_stat_replication
                ORDER BY application_name, pid""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                senders.add(new SubscriberProgress(rs.getString(1), rs.getString(2), Lsn.parseNullable(rs.getString(3)),
                        Lsn.parseNullable(rs.getString(4)), Lsn.parseNullable(rs.getString(5))));
            }
        }
        return senders;
    }

    /** The WAL each logical slot holds back, by slot name (pg_replication_slots). */
    public List<SlotRetention> slotRetention() throws SQLException {
        List<SlotRetention> slots = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT slot_name, coalesce(wal_status, 'unknown'),
                       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                FROM pg_replication_slots WHERE slot_type = 'logical'
                ORDER BY slot_name""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                slots.add(new SlotRetention(rs.getString(1), rs.getString(2), Math.max(0, rs.getLong(3))));
            }
        }
        return slots;
    }

    private String single(String sql, String... params) throws SQLException {
        return optional(sql, params).orElse(null);
    }

    private boolean bool(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Optional<String> optional(String sql, String... params) throws SQLException {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    private PreparedStatement prepare(String sql, String... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
        }
        return ps;
    }
}
