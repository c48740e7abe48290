package io.pgmesh.node.pg;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.TableSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A replicated table and what belongs to it, on a connection to the replicated database. */
public final class TableSetup {

    private final Connection connection;
    private final Catalog catalog;
    private final StepLog steps;

    public TableSetup(Connection connection, StepLog steps) {
        this.connection = connection;
        this.catalog = new Catalog(connection);
        this.steps = steps;
    }

    /**
     * Creates the table when missing; when it exists its user columns must match the spec, else
     * INVALID_REQUEST explains the difference and nothing changes. A table made before the
     * modified_by or prev_modified_* system columns existed gets them.
     */
    public void ensureTable(TableSpec table) throws SQLException {
        if (!catalog.tableExists(table.name())) {
            steps.execute(connection, StepLog.Verb.CREATE, "table " + table.name(), TableDdl.createTable(table));
            return;
        }
        List<String> differences = TableDdl.differences(table,
                catalog.userColumns(table.name(), TableSpec.SYSTEM_COLUMNS));
        if (!differences.isEmpty()) {
            throw NodeOperationException.invalid(steps.node(), "table.columns",
                    "table " + table.name() + " already exists with other columns: " + String.join("; ", differences));
        }
        if (!catalog.columnExists(table.name(), TableDdl.MODIFIED_BY)) {
            steps.execute(connection, StepLog.Verb.ALTER, "table " + table.name() + " to add column "
                    + TableDdl.MODIFIED_BY, TableDdl.addModifiedByColumn(table.name()));
        }
        if (!catalog.columnExists(table.name(), TableDdl.PREV_MODIFIED_TS)) {
            steps.execute(connection, StepLog.Verb.ALTER, "table " + table.name() + " to add columns "
                    + TableDdl.PREV_MODIFIED_TS + ", " + TableDdl.PREV_MODIFIED_BY, TableDdl.addPrevColumns(table.name()));
        }
    }

    public void ensureOwner(String table, String owner) throws SQLException {
        if (catalog.tableOwner(table).map(owner::equals).orElse(false)) {
            return;
        }
        steps.execute(connection, StepLog.Verb.ALTER, "owner of table " + table + " to " + owner,
                "ALTER TABLE " + Sql.table(table) + " OWNER TO " + Sql.ident(owner));
    }

    /** The sequence of the key column, restricted to this node's key range. Returns its name. */
    public String ensureKeyRange(TableSpec table, int nodeIndex) throws SQLException {
        String column = table.primaryKey().name();
        String sequence = catalog.serialSequence(table.name(), column).orElseThrow(() ->
                NodeOperationException.invalid(steps.node(), "table.columns",
                        "key column " + column + " of table " + table.name() + " has no sequence"));
        long[] range = catalog.sequenceRange(sequence).orElseThrow();
        if (range[0] == MeshNames.firstKey(nodeIndex) && range[1] == MeshNames.lastKey(nodeIndex)) {
            return sequence;
        }
        steps.execute(connection, StepLog.Verb.ALTER, "sequence " + sequence + " to key range "
                        + MeshNames.firstKey(nodeIndex) + ".." + MeshNames.lastKey(nodeIndex),
                TableDdl.alterKeyRange(sequence, nodeIndex));
        return sequence;
    }

    /**
     * The key sequence continues after the highest key of the node's own range the table holds: a node rebuilt
     * from a copy got its own earlier rows back. Unchanged when the sequence is past them already, or there are none.
     */
    public void ensureKeysAfterOwnRows(String table, String keyColumn, int nodeIndex) throws SQLException {
        String sequence = catalog.serialSequence(table, keyColumn).orElseThrow(() ->
                NodeOperationException.invalid(steps.node(), "tables", "key column " + keyColumn + " of table "
                        + table + " has no sequence"));
        java.util.OptionalLong highest = catalog.highestKeyIn(table, keyColumn, MeshNames.firstKey(nodeIndex),
                MeshNames.lastKey(nodeIndex));
        if (highest.isEmpty()) {
            return;
        }
        java.util.OptionalLong last = catalog.sequenceLastValue(sequence);
        if (last.isPresent() && last.getAsLong() >= highest.getAsLong()) {
            return;
        }
        steps.execute(connection, StepLog.Verb.ALTER, "sequence " + sequence + " to continue after key "
                        + highest.getAsLong() + " (this node's own rows, copied back)",
                "SELECT setval(" + Sql.literal(Sql.table(sequence)) + "::regclass, " + highest.getAsLong() + ")");
    }

    /**
     * The database's conflict log (local, never published, owned by {@code owner}) and the
     * function the trigger functions record conflicts with.
     */
    public void ensureConflictLog(String owner) throws SQLException {
        if (!catalog.tableExists(ConflictDdl.CONFLICTS_TABLE)) {
            steps.executeInTransaction(connection, StepLog.Verb.CREATE, "conflict log " + ConflictDdl.CONFLICTS_TABLE,
                    List.of(ConflictDdl.createConflictsTable(), ConflictDdl.createConflictsIndex()));
        } else if (!catalog.indexExists(ConflictDdl.CONFLICTS_INDEX)) {
            steps.execute(connection, StepLog.Verb.CREATE, "index " + ConflictDdl.CONFLICTS_INDEX,
                    ConflictDdl.createConflictsIndex());
        }
        ensureOwner(ConflictDdl.CONFLICTS_TABLE, owner);
        ensureFunction(ConflictDdl.logFunctionSignature(), ConflictDdl.LOG_FUNCTION, ConflictDdl.logFunctionBody(),
                false, ConflictDdl.createOrReplaceLogFunction(), owner);
        ensureFunction(ConflictDdl.lockFunctionSignature(), ConflictDdl.LOCK_FUNCTION, ConflictDdl.lockFunctionBody(),
                false, ConflictDdl.createOrReplaceLockFunction(), owner);
    }

    /**
     * The table's tombstone table, owned by {@code owner}, with the key-lock trigger firing on
     * replicated tombstones (needs {@link #ensureConflictLog} first, for the lock function).
     */
    public void ensureTombstoneTable(String table, String owner) throws SQLException {
        String tombstones = ConflictDdl.tombstoneTable(table);
        if (!catalog.tableExists(tombstones)) {
            steps.execute(connection, StepLog.Verb.CREATE, "tombstone table " + tombstones,
                    ConflictDdl.createTombstoneTable(table));
        }
        ensureOwner(tombstones, owner);
        ensureReplicaOnlyTrigger(tombstones, ConflictDdl.LOCK_TRIGGER, ConflictDdl.createLockTrigger(table),
                ConflictDdl.enableLockTriggerForReplicaOnly(table));
    }

    /** A trigger that fires in apply workers only: made and enabled REPLICA in one transaction. */
    private void ensureReplicaOnlyTrigger(String table, String trigger, String create, String enableReplica)
            throws SQLException {
        var enabled = catalog.triggerEnabled(table, trigger);
        if (enabled.isEmpty()) {
            steps.executeInTransaction(connection, StepLog.Verb.CREATE, "trigger " + trigger + " on " + table
                    + ", firing in apply workers only", List.of(create, enableReplica));
        } else if (!ConflictDdl.ENABLED_REPLICA.equals(enabled.get())) {
            steps.execute(connection, StepLog.Verb.ALTER, "trigger " + trigger + " on " + table
                    + " to fire in apply workers only", enableReplica);
        }
    }

    /** The table's local shadow table (see {@link ConflictDdl#createShadowTable}), owned by {@code owner}. */
    private void ensureShadowTable(String table, String owner) throws SQLException {
        String shadows = ConflictDdl.shadowTable(table);
        if (!catalog.tableExists(shadows)) {
            steps.execute(connection, StepLog.Verb.CREATE, "shadow table " + shadows, ConflictDdl.createShadowTable(table));
        }
        ensureOwner(shadows, owner);
    }

    /**
     * The table's two trigger functions for node {@code nodeIndex} (each replaced only when it
     * differs, owned by {@code owner}) and their triggers, enabled ALWAYS so they also judge
     * replicated changes. In a database below schema version 2 the table loses the old trigger in
     * the transaction that gives it the new one ({@link SchemaVersion}); the old function goes with
     * the upgrade to version 2, once no table uses it.
     */
    public void ensureVersionTriggers(TableSpec table, int nodeIndex, String owner) throws SQLException {
        String name = table.name();
        VersionTriggers.TableShape shape = new VersionTriggers.TableShape(name, table.primaryKey().name(),
                catalog.columnNames(name));
        ensureFunction(VersionTriggers.signature(VersionTriggers.writeFunction(name)),
                VersionTriggers.writeFunction(name) + " for node index " + nodeIndex,
                VersionTriggers.writeFunctionBody(shape, nodeIndex), true,
                VersionTriggers.createOrReplaceFunction(VersionTriggers.writeFunction(name),
                        VersionTriggers.writeFunctionBody(shape, nodeIndex)), owner);
        ensureFunction(VersionTriggers.signature(VersionTriggers.deleteFunction(name)),
                VersionTriggers.deleteFunction(name) + " for node index " + nodeIndex,
                VersionTriggers.deleteFunctionBody(shape, nodeIndex), true,
                VersionTriggers.createOrReplaceFunction(VersionTriggers.deleteFunction(name),
                        VersionTriggers.deleteFunctionBody(shape, nodeIndex)), owner);

        ensureTrigger(name, VersionTriggers.WRITE_TRIGGER, VersionTriggers.createWriteTrigger(name),
                new SchemaVersion(connection, steps).perTableUpgrade(name));
        ensureTrigger(name, VersionTriggers.DELETE_TRIGGER, VersionTriggers.createDeleteTrigger(name), List.of());
        ensureShadowTable(name, owner);
        ensureFunction(VersionTriggers.signature(VersionTriggers.reviveFunction(name)),
                VersionTriggers.reviveFunction(name) + " for node index " + nodeIndex,
                VersionTriggers.reviveFunctionBody(shape, nodeIndex), true,
                VersionTriggers.createOrReplaceFunction(VersionTriggers.reviveFunction(name),
                        VersionTriggers.reviveFunctionBody(shape, nodeIndex)), owner);
        ensureTrigger(name, VersionTriggers.REVIVE_TRIGGER, VersionTriggers.createReviveTrigger(name), List.of());
    }

    /**
     * The table's update-notes table (see {@link UpdateNotes}), owned by {@code owner}, with the
     * trigger that notes local updates and the one that applies a peer's note when its row is
     * missing here (needs {@link #ensureTombstoneTable} first).
     */
    public void ensureUpdateNotes(TableSpec table, String owner) throws SQLException {
        String name = table.name();
        String notes = UpdateNotes.notesTable(name);
        if (!catalog.tableExists(notes)) {
            steps.execute(connection, StepLog.Verb.CREATE, "update-notes table " + notes, UpdateNotes.createNotesTable(name));
        }
        ensureOwner(notes, owner);
        VersionTriggers.TableShape shape = new VersionTriggers.TableShape(name, table.primaryKey().name(),
                catalog.columnNames(name));
        ensureFunction(VersionTriggers.signature(UpdateNotes.noteFunction(name)), UpdateNotes.noteFunction(name),
                UpdateNotes.noteFunctionBody(shape), true,
                VersionTriggers.createOrReplaceFunction(UpdateNotes.noteFunction(name), UpdateNotes.noteFunctionBody(shape)),
                owner);
        ensureFunction(VersionTriggers.signature(UpdateNotes.applyFunction(name)), UpdateNotes.applyFunction(name),
                UpdateNotes.applyFunctionBody(shape), true,
                VersionTriggers.createOrReplaceFunction(UpdateNotes.applyFunction(name), UpdateNotes.applyFunctionBody(shape)),
                owner);
        ensureLocalOnlyTrigger(name, UpdateNotes.NOTE_TRIGGER, UpdateNotes.createNoteTrigger(name), "updates");
        ensureReplicaOnlyTrigger(notes, UpdateNotes.APPLY_TRIGGER, UpdateNotes.createApplyTrigger(name),
                UpdateNotes.enableApplyTriggerForReplicaOnly(name));
    }

    /**
     * The table's guard that refuses a local TRUNCATE (see {@link TruncateGuard}); its function is
     * shared by all tables and owned by {@code owner}.
     */
    public void ensureTruncateGuard(String table, String owner) throws SQLException {
        ensureFunction(TruncateGuard.signature(), TruncateGuard.FUNCTION, TruncateGuard.FUNCTION_BODY, true,
                TruncateGuard.createOrReplaceFunction(), owner);
        ensureLocalOnlyTrigger(table, TruncateGuard.TRIGGER, TruncateGuard.createTrigger(table), "TRUNCATE");
    }

    /**
     * The database's schema version ({@link SchemaVersion}): brought to the current version as far as
     * the tables allow, after they were set up (so an old table has lost its old trigger first).
     */
    public void ensureSchemaVersion(String owner) throws SQLException {
        new SchemaVersion(connection, steps).upgrade(owner);
    }

    /** A trigger with the default enablement: it fires in local sessions, never in apply workers. */
    private void ensureLocalOnlyTrigger(String table, String trigger, String create, String what) throws SQLException {
        var enabled = catalog.triggerEnabled(table, trigger);
        if (enabled.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "trigger " + trigger + " on " + table
                    + ", firing on local " + what + " only", create);
        } else if (!UpdateNotes.ENABLED_ORIGIN.equals(enabled.get())) {
            steps.execute(connection, StepLog.Verb.ALTER, "trigger " + trigger + " on " + table
                    + " to fire on local " + what + " only", "ALTER TABLE " + Sql.table(table) + " ENABLE TRIGGER "
                    + Sql.ident(trigger));
        }
    }

    /**
     * A trigger, made and enabled ALWAYS in one transaction, together with {@code upgrade} (the
     * table's part of a schema upgrade, see {@link SchemaVersion#perTableUpgrade}).
     */
    private void ensureTrigger(String table, String trigger, String create, List<String> upgrade) throws SQLException {
        var enabled = catalog.triggerEnabled(table, trigger);
        if (enabled.isEmpty()) {
            List<String> sqls = new java.util.ArrayList<>(upgrade);
            sqls.add(create);
            sqls.add(VersionTriggers.enableAlways(table, trigger));
            steps.executeInTransaction(connection, StepLog.Verb.CREATE, "trigger " + trigger + " on " + table
                    + (upgrade.isEmpty() ? "" : " in place of the trigger of schema version 1")
                    + ", firing always, also in apply workers", sqls);
        } else if (!VersionTriggers.ENABLED_ALWAYS.equals(enabled.get())) {
            steps.execute(connection, StepLog.Verb.ALTER, "trigger " + trigger + " on " + table
                    + " to fire always, also in apply workers", VersionTriggers.enableAlways(table, trigger));
        }
    }

    /**
     * A plpgsql function with the given body, SECURITY DEFINER or not, the fixed search_path and
     * owner; created or replaced (with its owner, in one transaction) only when it differs.
     */
    private void ensureFunction(String signature, String what, String body, boolean securityDefiner,
                                String createOrReplace, String owner) throws SQLException {
        var existing = catalog.function(signature);
        boolean current = existing.map(f -> f.source().equals(body) && f.securityDefiner() == securityDefiner
                && f.config().equals(List.of(ConflictDdl.SEARCH_PATH_SETTING))).orElse(false);
        if (!current) {
            steps.executeInTransaction(connection, existing.isEmpty() ? StepLog.Verb.CREATE : StepLog.Verb.REPLACE,
                    "function " + what, List.of(createOrReplace, VersionTriggers.alterFunctionOwner(signature, owner)));
        } else if (!existing.get().owner().equals(owner)) {
            steps.execute(connection, StepLog.Verb.ALTER, "owner of function " + what + " to " + owner,
                    VersionTriggers.alterFunctionOwner(signature, owner));
        }
    }

    /** Grants the privileges the role lacks among {@code privileges} on the table. */
    public void ensureTableGrant(String table, String role, List<String> privileges) throws SQLException {
        List<String> missing = new java.util.ArrayList<>();
        for (String privilege : privileges) {
            if (!catalog.hasTablePrivilege(role, table, privilege)) {
                missing.add(privilege);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String list = String.join(", ", missing);
        steps.execute(connection, StepLog.Verb.GRANT, list + " on table " + table + " to " + role,
                "GRANT " + list + " ON TABLE " + Sql.table(table) + " TO " + Sql.ident(role));
    }

    public void ensureSequenceGrant(String sequence, String role, List<String> privileges) throws SQLException {
        List<String> missing = new java.util.ArrayList<>();
        for (String privilege : privileges) {
            if (!catalog.hasSequencePrivilege(role, sequence, privilege)) {
                missing.add(privilege);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String list = String.join(", ", missing);
        steps.execute(connection, StepLog.Verb.GRANT, list + " on sequence " + sequence + " to " + role,
                "GRANT " + list + " ON SEQUENCE " + Sql.table(sequence) + " TO " + Sql.ident(role));
    }
}
