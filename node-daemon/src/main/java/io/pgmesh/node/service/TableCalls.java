package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.DatabaseSetup;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.ReplicationSetup;
import io.pgmesh.node.pg.SchemaVersion;
import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.TableSetup;
import io.pgmesh.node.pg.UpdateNotes;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.KeyRangeRequest;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;

/** The database, its roles, and the replicated tables: initDatabase and createReplicaTable (admin lock). */
final class TableCalls {

    private static final Logger log = LoggerFactory.getLogger(TableCalls.class);
    private static final List<String> WRITER_TABLE_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private final NodeCall call;

    TableCalls(NodeCall call) {
        this.call = call;
    }

    StepResult initDatabase(DatabaseSpec spec) {
        return call.underAdminLock(() -> {
            String node = call.nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(spec, "database");
            check.name(spec.name(), "database.name");
            check.login(spec.owner(), "database.owner");
            check.login(spec.replicator(), "database.replicator");
            check.login(spec.writer(), "database.writer");
            check.login(spec.reader(), "database.reader");

            StepResult result = call.steps(node, NodeConnections.MAINTENANCE_DB, "initialize database " + spec.name(),
                    (c, steps) -> {
                        DatabaseSetup setup = new DatabaseSetup(c, steps);
                        setup.ensureRole(spec.owner(), false);
                        setup.ensureRole(spec.replicator(), true);
                        setup.ensureRole(spec.writer(), false);
                        setup.ensureRole(spec.reader(), false);
                        setup.ensureDatabase(spec.name(), spec.owner().user());
                        for (Credentials login : List.of(spec.replicator(), spec.writer(), spec.reader())) {
                            setup.ensureConnectGrant(spec.name(), login.user());
                        }
                    });
            StateStore.DatabaseRoles roles = new StateStore.DatabaseRoles(spec.name(), spec.owner().user(),
                    spec.replicator().user(), spec.writer().user(), spec.reader().user());
            if (!call.state().database().map(roles::equals).orElse(false)) {
                call.state().saveDatabase(roles);
            }
            return result;
        });
    }

    StepResult continueKeyRange(KeyRangeRequest request) {
        return call.underAdminLock(() -> {
            NetworkTopology self = call.requireTopology();
            String node = self.nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(request, "request");
            check.name(request.database(), "request.database");
            if (request.tables().isEmpty()) {
                throw NodeOperationException.invalid(node, "request.tables", "must list at least one table");
            }
            for (int i = 0; i < request.tables().size(); i++) {
                check.tableName(request.tables().get(i), "request.tables[" + i + "]");
            }
            return call.steps(node, request.database(), "continue the key ranges", (c, steps) -> {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    java.util.List<io.pgmesh.node.pg.ExistingColumn> key = catalog.primaryKeyColumns(table);
                    if (key.size() != 1) {
                        throw NodeOperationException.invalid(node, "request.tables", "table " + table
                                + " must have a primary key of one column, it has " + key.size());
                    }
                    new TableSetup(c, steps).ensureKeysAfterOwnRows(table, key.get(0).name(), self.nodeIndex());
                }
            });
        });
    }

    StepResult createReplicaTable(ReplicaTableRequest request) {
        return call.underAdminLock(() -> {
            NetworkTopology self = call.requireTopology();
            String node = self.nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(request, "request");
            check.name(request.database(), "database");
            check.required(request.table(), "table");
            List<String> problems = request.table().problems();
            if (!problems.isEmpty()) {
                String first = problems.get(0);
                throw NodeOperationException.invalid(node, "table." + first.substring(0, first.indexOf(':')),
                        String.join("; ", problems));
            }
            check.login(request.replication(), "replication");
            TableSpec table = request.table();
            check.tableName(table.name(), "table.name");
            String publication = MeshNames.publication(node, table.name());
            check.name(publication, "table.name");
            // A node joining a live cluster subscribes step by step (subscribeToNode with options).
            List<TopologyHost> lowerPeers = !request.subscribeToEarlierNodes() ? List.of()
                    : self.hosts().stream().filter(h -> h.index() < self.nodeIndex())
                    .sorted(Comparator.comparingInt(TopologyHost::index)).toList();
            for (TopologyHost peer : lowerPeers) {
                check.name(MeshNames.subscription(node, peer.name(), table.name()), "table.name");
            }
            StateStore.DatabaseRoles roles = call.requireDatabase(node, request.database());

            return call.steps(node, request.database(), "set up table " + table.name(), (c, steps) -> {
                ensureTable(new TableSetup(c, steps), table, self.nodeIndex(), roles);
                ReplicationSetup replication = new ReplicationSetup(c, steps, call.peerTls());
                replication.ensurePublication(publication, List.of(table.name(),
                        ConflictDdl.tombstoneTable(table.name()), UpdateNotes.notesTable(table.name())));
                for (TopologyHost peer : lowerPeers) {
                    replication.ensureSubscriptionTo(node, peer, request.database(), table.name(), request.replication());
                }
            });
        });
    }

    /** The table with its key range, conflict tracking and grants. */
    private static void ensureTable(TableSetup tables, TableSpec table, int nodeIndex, StateStore.DatabaseRoles roles)
            throws java.sql.SQLException {
        tables.ensureTable(table);
        tables.ensureOwner(table.name(), roles.owner());
        String sequence = tables.ensureKeyRange(table, nodeIndex);
        tables.ensureConflictLog(roles.owner());
        tables.ensureTombstoneTable(table.name(), roles.owner());
        tables.ensureVersionTriggers(table, nodeIndex, roles.owner());
        tables.ensureUpdateNotes(table, roles.owner());
        tables.ensureTruncateGuard(table.name(), roles.owner());
        tables.ensureTableGrant(table.name(), roles.writer(), WRITER_TABLE_PRIVILEGES);
        tables.ensureSequenceGrant(sequence, roles.writer(), List.of("USAGE", "SELECT"));
        for (String role : List.of(roles.writer(), roles.reader(), roles.replicator())) {
            tables.ensureTableGrant(ConflictDdl.tombstoneTable(table.name()), role, List.of("SELECT"));
        }
        // a joining node's initial copy reads every published table as the replicator
        tables.ensureTableGrant(UpdateNotes.notesTable(table.name()), roles.replicator(), List.of("SELECT"));
        tables.ensureTableGrant(table.name(), roles.reader(), List.of("SELECT"));
        tables.ensureTableGrant(table.name(), roles.replicator(), List.of("SELECT"));
        tables.ensureTableGrant(ConflictDdl.CONFLICTS_TABLE, roles.reader(), List.of("SELECT"));
        tables.ensureSchemaVersion(roles.owner());
    }

    /**
     * At daemon start: brings the initialized database's schema to the current version (see
     * {@link SchemaVersion}), so an older node's database is upgraded in place before any call.
     * Never fails the start: a database that cannot be reached or upgraded now is logged, and
     * createReplicaTable upgrades it later.
     */
    void upgradeSchema() {
        StateStore.DatabaseRoles roles = call.state().database().orElse(null);
        if (roles == null) {
            return;
        }
        String node = call.nodeName();
        try {
            StepResult result = call.underAdminLock(() -> call.steps(node, roles.name(),
                    "upgrade the schema of database " + roles.name(),
                    (c, steps) -> new SchemaVersion(c, steps).upgrade(roles.owner())));
            log.info("[{}] schema of database {} at version {}{}", node, roles.name(), SchemaVersion.CURRENT,
                    result.actions().isEmpty() ? " (nothing to do)" : ": " + String.join("; ", result.actions()));
        } catch (NodeOperationException e) {
            log.warn("[{}] could not upgrade the schema of database {} at start (createReplicaTable will): {}",
                    node, roles.name(), e.getMessage());
        }
    }
}
