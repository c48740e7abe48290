package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The version of pgmesh's own objects in a replicated database, kept in {@value #TABLE} (one row,
 * owned by the database owner), and the numbered upgrades that bring an older database to
 * {@link #CURRENT} in place: {@code sql/upgrade/NNN_*.sql}, each run in one transaction with the new
 * version number. Like every step it asks the catalog first: at {@link #CURRENT} nothing runs.
 *
 * <p>Databases made before the version table existed are recognised by catalog checks: they are at
 * version 1 (the baseline: what pgmesh made until then), or at a later version when the catalog
 * shows that upgrade is already in place; {@code 001_version_table.sql} then only records that.
 *
 * <p>Version 2: no table uses the trigger {@value #LEGACY_TRIGGER} and its shared function
 * {@value #LEGACY_FUNCTION} of the previous layout any more. Each table swaps it for its own
 * version triggers when createReplicaTable runs on it ({@link #perTableUpgrade}, in the transaction
 * that creates the new trigger); once no table uses the old function, {@code 002} drops it.
 */
public final class SchemaVersion {

    private static final Logger log = LoggerFactory.getLogger(SchemaVersion.class);

    /** One row: the version of pgmesh's objects in this database. Local, never published. */
    public static final String TABLE = "pgmesh_schema_version";
    /** The version this daemon makes and upgrades to. */
    public static final int CURRENT = 2;
    /** The trigger of the layout before version 2 (one function for all tables). */
    static final String LEGACY_TRIGGER = "pgmesh_timestamps";
    /** The function of the layout before version 2. */
    static final String LEGACY_FUNCTION = "pgmesh_set_timestamps";

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;

    public SchemaVersion(Connection connection, StepLog steps) {
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.steps = steps;
    }

    /** The database's version: the stored one, or for a database without the table, the one its catalog shows. */
    public int version() throws SQLException {
        return catalog.tableExists(TABLE) ? stored() : detected();
    }

    /**
     * The statement a table's version-2 trigger swap adds to the transaction that creates its write
     * trigger while the database is below version 2 (dropping the old trigger, if the table has it);
     * empty at version 2 and later.
     */
    public List<String> perTableUpgrade(String table) throws SQLException {
        if (version() >= 2) {
            return List.of();
        }
        return List.of(SqlTemplate.resource("upgrade/002_per_table.sql")
                .ident("legacy_trigger", LEGACY_TRIGGER).table("table", table).render());
    }

    /**
     * Brings the database to {@link #CURRENT} as far as it can now (an upgrade whose precondition
     * does not hold yet stops there, logged, and runs on a later call), with the version table owned
     * by {@code owner}. Returns the version reached.
     */
    public int upgrade(String owner) throws SQLException {
        boolean hasTable = catalog.tableExists(TABLE);
        int from = hasTable ? stored() : detected();
        if (from > CURRENT) {
            throw NodeOperationException.notConfigured(steps.node(), "database schema version " + from
                    + " was written by a newer pgmesh; this daemon knows versions up to " + CURRENT);
        }
        List<String> sqls = new ArrayList<>();
        if (!hasTable) {
            sqls.add(SqlTemplate.resource("upgrade/001_version_table.sql")
                    .table("version_table", TABLE).ident("owner", owner).render());
        }
        int to = from;
        List<String> scripts = new ArrayList<>();
        for (int next = from + 1; next <= CURRENT; next++) {
            String blocked = blocked(next);
            if (blocked != null) {
                log.info("[{}] schema stays at version {}: {}", steps.node(), to, blocked);
                break;
            }
            sqls.add(script(next));
            scripts.add(String.format("%03d", next));
            to = next;
        }
        if (sqls.isEmpty()) {
            if (!catalog.tableOwner(TABLE).map(owner::equals).orElse(false)) {
                steps.execute(connection, StepLog.Verb.ALTER, "owner of table " + TABLE + " to " + owner,
                        "ALTER TABLE " + Sql.table(TABLE) + " OWNER TO " + Sql.ident(owner));
            }
            return from;
        }
        sqls.add(SqlTemplate.resource("schema_version/set_version.sql").table("version_table", TABLE)
                .number("version", to).render());
        String what = hasTable ? "schema version from " + from + " to " + to + " (upgrade " + String.join(", ", scripts) + ")"
                : "schema version table " + TABLE + " at version " + to + (to == from ? " (found in place)"
                : " (from version " + from + ", upgrade " + String.join(", ", scripts) + ")");
        steps.executeInTransaction(connection, hasTable ? StepLog.Verb.CHANGE : StepLog.Verb.CREATE, what, sqls);
        return to;
    }

    private int stored() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SqlTemplate.resource("schema_version/read_version.sql")
                     .table("version_table", TABLE).render())) {
            if (!rs.next()) {
                throw NodeOperationException.notConfigured(steps.node(), "table " + TABLE
                        + " holds no version; remove it and call createReplicaTable to find the version again");
            }
            return rs.getInt(1);
        }
    }

    /** A database without the version table: the baseline (1), plus every later upgrade the catalog shows done. */
    private int detected() throws SQLException {
        int version = 1;
        while (version < CURRENT && inPlace(version + 1)) {
            version++;
        }
        return version;
    }

    /** Whether the catalog shows upgrade {@code version} already done (for databases without the version table). */
    private boolean inPlace(int version) throws SQLException {
        return switch (version) {
            case 2 -> catalog.function(legacyFunction()).isEmpty();
            default -> throw new IllegalStateException("no catalog check for schema version " + version);
        };
    }

    /** Why upgrade {@code version} cannot run yet, or null when it can. */
    private String blocked(int version) throws SQLException {
        return switch (version) {
            case 2 -> catalog.functionUsedByTrigger(legacyFunction()) ? "a table still has trigger " + LEGACY_TRIGGER
                    + "; createReplicaTable on it replaces it, then " + LEGACY_FUNCTION + " is dropped" : null;
            default -> throw new IllegalStateException("no precondition for schema version " + version);
        };
    }

    private static String script(int version) {
        return switch (version) {
            case 2 -> SqlTemplate.resource("upgrade/002_drop_legacy_timestamps.sql")
                    .table("legacy_function", LEGACY_FUNCTION).render();
            default -> throw new IllegalStateException("no upgrade script for schema version " + version);
        };
    }

    private static String legacyFunction() {
        return Sql.table(LEGACY_FUNCTION) + "()";
    }
}
