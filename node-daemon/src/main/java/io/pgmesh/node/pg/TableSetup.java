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
     * modified_by system column existed gets it.
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
     * The database's trigger function for node {@code nodeIndex} (replaced only when its body
     * differs) and the table's trigger, enabled ALWAYS so it also judges replicated updates.
     */
    public void ensureTimestampTrigger(String table, int nodeIndex) throws SQLException {
        String body = TableDdl.timestampFunctionBody(nodeIndex);
        var source = catalog.functionSource(TableDdl.TIMESTAMP_FUNCTION);
        if (source.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "function " + TableDdl.TIMESTAMP_FUNCTION
                    + " for node index " + nodeIndex, TableDdl.createOrReplaceTimestampFunction(nodeIndex));
        } else if (!source.get().equals(body)) {
            steps.execute(connection, StepLog.Verb.REPLACE, "function " + TableDdl.TIMESTAMP_FUNCTION
                    + " for node index " + nodeIndex, TableDdl.createOrReplaceTimestampFunction(nodeIndex));
        }
        var enabled = catalog.triggerEnabled(table, TableDdl.TIMESTAMP_TRIGGER);
        if (enabled.isEmpty()) {
            steps.execute(connection, StepLog.Verb.CREATE, "trigger " + TableDdl.TIMESTAMP_TRIGGER + " on " + table,
                    TableDdl.createTimestampTrigger(table));
        }
        if (!enabled.map(TableDdl.ENABLED_ALWAYS::equals).orElse(false)) {
            steps.execute(connection, StepLog.Verb.ALTER, "trigger " + TableDdl.TIMESTAMP_TRIGGER + " on " + table
                    + " to fire always, also in apply workers", TableDdl.enableTimestampTriggerAlways(table));
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
