package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.ExistingColumn;
import io.pgmesh.node.pg.OpenTransactions;
import io.pgmesh.node.pg.RowExplainSql;
import io.pgmesh.node.pg.RowExplainer;
import io.pgmesh.node.pg.RowRepair;
import io.pgmesh.node.pg.RowStatesReader;
import io.pgmesh.node.pg.TableDdl;
import io.pgmesh.node.pg.TableDigests;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RowStates;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.SqlNames;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import io.pgmesh.protocol.UnsettledKeysRequest;
import io.pgmesh.protocol.TableSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Comparing and repairing tables across nodes: digestTable, unsettledKeys, rowHashes, rowStates, changeHorizon and
 * explainRow read without the admin lock; repairRows validates first, then changes rows under it.
 */
final class ConsistencyCalls {

    private final NodeCall call;

    ConsistencyCalls(NodeCall call) {
        this.call = call;
    }

    TableDigest digestTable(DigestRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).digestRequest(request);
        return call.onInitialized(node, request.database(), "digest table " + request.table(), c -> {
            String key = digestKey(node, new Catalog(c), request.database(), request.table());
            return new TableDigests(c, node).digest(request.table(), key, request.buckets(), request.settled(),
                    request.leftOut());
        });
    }

    UnsettledKeys unsettledKeys(UnsettledKeysRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).unsettledKeysRequest(request);
        return call.onInitialized(node, request.database(), "list unsettled keys of table " + request.table(), c -> {
            String key = digestKey(node, new Catalog(c), request.database(), request.table());
            return new TableDigests(c, node).unsettledKeys(request.table(), key, request.settled());
        });
    }

    RowHashes rowHashes(RowHashRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).rowHashRequest(request);
        return call.onInitialized(node, request.database(), "list row hashes of table " + request.table(), c -> {
            String key = digestKey(node, new Catalog(c), request.database(), request.table());
            return new TableDigests(c, node).rowHashes(request.table(), key, request.buckets(),
                    request.bucketIndexes(), request.settled());
        });
    }

    ChangeHorizon changeHorizon(HorizonRequest request) {
        NetworkTopology self = call.requireTopology();
        String node = self.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        check.name(request.database(), "request.database");
        String doing = "read the change horizon of database " + request.database();
        return call.onInitialized(node, request.database(), doing, c -> {
            OpenTransactions.Horizon horizon = new OpenTransactions(c).horizon(request.database());
            return new ChangeHorizon(node, self.nodeIndex(), RowExplainSql.iso(horizon.instant()), horizon.heldBy());
        });
    }

    RowStates rowStates(RowStatesRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).rowStatesRequest(request);
        String doing = "read " + request.ids().size() + " rows of table " + request.table();
        return call.onInitialized(node, request.database(), doing, c -> {
            TrackedTable tracked = trackedTable(node, c, request.database(), request.table());
            return new RowStates(node, request.table(), new RowStatesReader(c, node)
                    .read(request.table(), tracked.key(), tracked.columns(), request.ids()));
        });
    }

    StepResult repairRows(RepairRowsRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).repairRowsRequest(request);
        call.requireDatabase(node, request.database());
        return call.underAdminLock(() -> call.steps(node, request.database(),
                "repair " + request.rows().size() + " rows of table " + request.table(), (c, steps) -> {
                    Catalog catalog = new Catalog(c);
                    String key = digestKey(node, catalog, request.database(), request.table());
                    requireConflictTracking(node, catalog, request.table());
                    new RowRepair(c, steps).applyAll(request.table(), key, request.rows());
                }));
    }

    RowExplanation explainRow(ExplainRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).explainRequest(request);
        String doing = "explain row " + request.id() + " of table " + request.table();
        return call.onInitialized(node, request.database(), doing, c -> {
            TrackedTable tracked = trackedTable(node, c, request.database(), request.table());
            return new RowExplainer(c, node).explain(request.table(), tracked.key(), tracked.columns(), request.id());
        });
    }

    /** A table with conflict tracking: its key column and its user columns. */
    private record TrackedTable(String key, List<String> columns) {
    }

    private static TrackedTable trackedTable(String node, Connection c, String database, String table)
            throws SQLException {
        Catalog catalog = new Catalog(c);
        String key = digestKey(node, catalog, database, table);
        requireConflictTracking(node, catalog, table);
        List<String> columns = catalog.userColumns(table, TableSpec.SYSTEM_COLUMNS).stream()
                .map(ExistingColumn::name).toList();
        return new TrackedTable(key, columns);
    }

    /** The table's key column, by which rows are bucketed: its one-column bigint primary key. */
    private static String digestKey(String node, Catalog catalog, String database, String table) throws SQLException {
        if (!catalog.tableExists(table)) {
            throw NodeOperationException.notConfigured(node, "table " + table + " does not exist in database "
                    + database + "; call createReplicaTable first");
        }
        List<ExistingColumn> key = catalog.primaryKeyColumns(table);
        if (key.size() != 1 || !key.get(0).type().equals("bigint") || !SqlNames.isValid(key.get(0).name())) {
            throw NodeOperationException.invalid(node, "request.table", "table " + table
                    + " must have a primary key of one bigint column to be digested, it has "
                    + (key.isEmpty() ? "none" : key.stream().map(k -> k.name() + " " + k.type()).toList()));
        }
        return key.get(0).name();
    }

    private static void requireConflictTracking(String node, Catalog catalog, String table) throws SQLException {
        if (!catalog.columnExists(table, TableDdl.PREV_MODIFIED_TS)
                || !catalog.tableExists(ConflictDdl.tombstoneTable(table))
                || !catalog.tableExists(ConflictDdl.CONFLICTS_TABLE)) {
            throw NodeOperationException.notConfigured(node, "table " + table
                    + " was made by an older pgmesh without conflict tracking; call createReplicaTable to upgrade it");
        }
    }
}
