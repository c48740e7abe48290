package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.DatabaseSetup;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.PgErrors;
import io.pgmesh.node.pg.ReplicationSetup;
import io.pgmesh.node.pg.RowRepair;
import io.pgmesh.node.pg.RowExplainer;
import io.pgmesh.node.pg.RowExplainSql;
import io.pgmesh.node.pg.RowStatesReader;
import io.pgmesh.node.pg.ExistingColumn;
import io.pgmesh.node.pg.HistoryPrune;
import io.pgmesh.node.pg.OpenTransactions;
import io.pgmesh.node.pg.StepLog;
import io.pgmesh.node.pg.TableDdl;
import io.pgmesh.node.pg.TableDigests;
import io.pgmesh.node.pg.TableSetup;
import io.pgmesh.node.pg.UpdateNotes;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.RowStates;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.SqlNames;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;
import io.pgmesh.protocol.TransactionWaitRequest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's JSON-RPC methods, each a script of idempotent, catalog-checked steps. Changing
 * methods run one at a time (one admin operation per node); the read-only ones (status,
 * replicationProgress, changeHorizon, digestTable, rowHashes, rowStates, explainRow) run alongside without the
 * admin lock.
 */
public final class NodeRpcService implements NodeRpc {

    /** Node name used in errors before updateNetworkTopology. */
    public static final String UNCONFIGURED = "unconfigured-node";
    private static final List<String> WRITER_TABLE_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");
    /** Longest table name: its tombstone table pgmesh_tombstones_&lt;table&gt; must fit in 63 characters. */
    static final int MAX_TABLE_NAME = 63 - ConflictDdl.TOMBSTONES_PREFIX.length();

    /** How long dropSlot keeps ending the slot's walsender (its subscriber may reconnect) before giving up. */
    static final long SLOT_DROP_WAIT_MILLIS = 15_000;
    /** How often awaitTransactionsStartedBefore looks again. */
    private static final long TRANSACTION_POLL_MILLIS = 100;

    private final NodeConnections connections;
    private final StateStore state;
    private final Object adminLock = new Object();
    private volatile NetworkTopology topology;

    public NodeRpcService(NodeConnections connections, StateStore state) {
        this.connections = connections;
        this.state = state;
        this.topology = state.topology().orElse(null);
    }

    /** This node's name, or {@link #UNCONFIGURED}. */
    public String nodeName() {
        NetworkTopology current = topology;
        return current == null ? UNCONFIGURED : current.nodeName();
    }

    @Override
    public StepResult updateNetworkTopology(NetworkTopology update) {
        synchronized (adminLock) {
            new RequestValidation(nodeName()).topology(update);
            StepLog steps = new StepLog(update.nodeName());
            if (!update.equals(topology)) {
                steps.run(StepLog.Verb.STORE, "topology of cluster " + update.cluster() + ": " + update.nodeName()
                        + " (index " + update.nodeIndex() + ") among " + update.hosts().size() + " hosts",
                        () -> state.saveTopology(update));
                topology = update;
            }
            return new StepResult(update.nodeName(), steps.actions());
        }
    }

    @Override
    public StepResult initDatabase(DatabaseSpec spec) {
        synchronized (adminLock) {
            String node = nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(spec, "database");
            check.name(spec.name(), "database.name");
            check.login(spec.owner(), "database.owner");
            check.login(spec.replicator(), "database.replicator");
            check.login(spec.writer(), "database.writer");
            check.login(spec.reader(), "database.reader");

            StepLog steps = new StepLog(node);
            try (Connection c = open(node, NodeConnections.MAINTENANCE_DB)) {
                DatabaseSetup setup = new DatabaseSetup(c, steps);
                setup.ensureRole(spec.owner(), false);
                setup.ensureRole(spec.replicator(), true);
                setup.ensureRole(spec.writer(), false);
                setup.ensureRole(spec.reader(), false);
                setup.ensureDatabase(spec.name(), spec.owner().user());
                for (Credentials login : List.of(spec.replicator(), spec.writer(), spec.reader())) {
                    setup.ensureConnectGrant(spec.name(), login.user());
                }
            } catch (SQLException e) {
                throw PgErrors.failed(node, "initialize database " + spec.name(), e);
            }
            StateStore.DatabaseRoles roles = new StateStore.DatabaseRoles(spec.name(), spec.owner().user(),
                    spec.replicator().user(), spec.writer().user(), spec.reader().user());
            if (!state.database().map(roles::equals).orElse(false)) {
                state.saveDatabase(roles);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public StepResult createReplicaTable(ReplicaTableRequest request) {
        synchronized (adminLock) {
            NetworkTopology self = requireTopology();
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
            String tombstones = ConflictDdl.tombstoneTable(table.name());
            String updateNotes = UpdateNotes.notesTable(table.name());
            String publication = MeshNames.publication(node, table.name());
            check.name(publication, "table.name");
            // A node joining a live cluster subscribes step by step (subscribeToNode with options).
            List<TopologyHost> lowerPeers = !request.subscribeToEarlierNodes() ? List.of()
                    : self.hosts().stream().filter(h -> h.index() < self.nodeIndex())
                    .sorted(Comparator.comparingInt(TopologyHost::index)).toList();
            for (TopologyHost peer : lowerPeers) {
                check.name(MeshNames.subscription(node, peer.name(), table.name()), "table.name");
            }
            StateStore.DatabaseRoles roles = requireDatabase(node, request.database());

            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                TableSetup tables = new TableSetup(c, steps);
                tables.ensureTable(table);
                tables.ensureOwner(table.name(), roles.owner());
                String sequence = tables.ensureKeyRange(table, self.nodeIndex());
                tables.ensureConflictLog(roles.owner());
                tables.ensureTombstoneTable(table.name(), roles.owner());
                tables.ensureVersionTriggers(table, self.nodeIndex(), roles.owner());
                tables.ensureUpdateNotes(table, roles.owner());
                tables.ensureTruncateGuard(table.name(), roles.owner());
                tables.ensureTableGrant(table.name(), roles.writer(), WRITER_TABLE_PRIVILEGES);
                tables.ensureSequenceGrant(sequence, roles.writer(), List.of("USAGE", "SELECT"));
                for (String role : List.of(roles.writer(), roles.reader(), roles.replicator())) {
                    tables.ensureTableGrant(tombstones, role, List.of("SELECT"));
                }
                // a joining node's initial copy reads every published table as the replicator
                tables.ensureTableGrant(updateNotes, roles.replicator(), List.of("SELECT"));
                tables.ensureTableGrant(table.name(), roles.reader(), List.of("SELECT"));
                tables.ensureTableGrant(table.name(), roles.replicator(), List.of("SELECT"));
                tables.ensureTableGrant(ConflictDdl.CONFLICTS_TABLE, roles.reader(), List.of("SELECT"));

                ReplicationSetup replication = new ReplicationSetup(c, steps);
                replication.ensurePublication(publication, List.of(table.name(), tombstones, updateNotes));
                for (TopologyHost peer : lowerPeers) {
                    replication.ensureSubscriptionTo(node, peer, request.database(), table.name(), request.replication());
                }
            } catch (SQLException e) {
                throw PgErrors.failed(node, "set up table " + table.name(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public StepResult subscribeToNode(SubscribeRequest request) {
        synchronized (adminLock) {
            NetworkTopology self = requireTopology();
            String node = self.nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(request, "request");
            check.name(request.database(), "database");
            check.host(request.peer(), "peer");
            if (request.peer().name().equals(node)) {
                throw NodeOperationException.invalid(node, "peer.name", "a node cannot subscribe to itself");
            }
            check.login(request.replication(), "replication");
            check.subscriptionOptions(request.options());
            if (request.tables().isEmpty()) {
                throw NodeOperationException.invalid(node, "tables", "must list at least one table");
            }
            for (int i = 0; i < request.tables().size(); i++) {
                String table = request.tables().get(i);
                check.name(table, "tables[" + i + "]");
                check.name(MeshNames.subscription(node, request.peer().name(), table), "tables[" + i + "]");
            }
            requireDatabase(node, request.database());

            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    if (!catalog.tableExists(table)) {
                        throw NodeOperationException.notConfigured(node, "table " + table
                                + " does not exist in database " + request.database() + "; call createReplicaTable first");
                    }
                }
                ReplicationSetup replication = new ReplicationSetup(c, steps);
                for (String table : request.tables()) {
                    replication.ensureSubscriptionTo(node, request.peer(), request.database(), table,
                            request.replication(), request.options());
                }
            } catch (SQLException e) {
                throw PgErrors.failed(node, "subscribe to " + request.peer().name(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public SlotInfo ensureSlot(SlotRequest request) {
        synchronized (adminLock) {
            String node = requireTopology().nodeName();
            new RequestValidation(node).slotRequest(request);
            requireDatabase(node, request.database());
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                ReplicationSetup.SlotState slot = new ReplicationSetup(c, steps).ensureSlot(request.database(),
                        request.slotName());
                return new SlotInfo(node, request.slotName(), slot.lsn(), slot.created());
            } catch (SQLException e) {
                throw PgErrors.failed(node, "ensure replication slot " + request.slotName(), e);
            }
        }
    }

    @Override
    public StepResult dropSlot(SlotRequest request) {
        synchronized (adminLock) {
            String node = requireTopology().nodeName();
            new RequestValidation(node).slotRequest(request);
            requireDatabase(node, request.database());
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                new ReplicationSetup(c, steps).dropSlot(request.database(), request.slotName(), SLOT_DROP_WAIT_MILLIS);
            } catch (SQLException e) {
                throw PgErrors.failed(node, "drop replication slot " + request.slotName(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public StepResult setSubscriptionsEnabled(EnableRequest request) {
        synchronized (adminLock) {
            String node = requireTopology().nodeName();
            new RequestValidation(node).enableRequest(request, node);
            requireDatabase(node, request.database());
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    String subscription = MeshNames.subscription(node, request.peer(), table);
                    if (!catalog.subscriptionExists(subscription)) {
                        throw NodeOperationException.notConfigured(node, "there is no subscription " + subscription
                                + " to " + request.peer() + "; call subscribeToNode first");
                    }
                }
                ReplicationSetup replication = new ReplicationSetup(c, steps);
                for (String table : request.tables()) {
                    replication.ensureSubscriptionEnabled(MeshNames.subscription(node, request.peer(), table),
                            request.enabled());
                }
            } catch (SQLException e) {
                throw PgErrors.failed(node, (request.enabled() ? "enable" : "disable") + " subscriptions to "
                        + request.peer(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public StepResult dropSubscriptionsTo(PeerRequest request) {
        synchronized (adminLock) {
            String node = requireTopology().nodeName();
            new RequestValidation(node).peerRequest(request, node);
            requireDatabase(node, request.database());
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                ReplicationSetup replication = new ReplicationSetup(c, steps);
                for (String table : request.tables()) {
                    replication.dropSubscription(MeshNames.subscription(node, request.peer(), table), request.peer());
                }
            } catch (SQLException e) {
                throw PgErrors.failed(node, "drop subscriptions to " + request.peer(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public NodeStatus status() {
        return new StatusReport(connections, topology, state.database().orElse(null)).read();
    }

    @Override
    public ReplicationProgress replicationProgress() {
        String node = nodeName();
        try (Connection c = connections.openForReading(NodeConnections.MAINTENANCE_DB)) {
            Catalog catalog = new Catalog(c);
            return new ReplicationProgress(node, catalog.currentWalLsn(), catalog.walSenders());
        } catch (SQLException e) {
            throw PgErrors.failed(node, "read replication progress", e);
        }
    }

    @Override
    public TableDigest digestTable(DigestRequest request) {
        String node = nodeName();
        new RequestValidation(node).digestRequest(request);
        requireDatabase(node, request.database());
        try (Connection c = open(node, request.database())) {
            String key = digestKey(node, new Catalog(c), request.database(), request.table());
            return new TableDigests(c, node).digest(request.table(), key, request.buckets(), request.settled());
        } catch (SQLException e) {
            throw PgErrors.failed(node, "digest table " + request.table(), e);
        }
    }

    @Override
    public RowHashes rowHashes(RowHashRequest request) {
        String node = nodeName();
        new RequestValidation(node).rowHashRequest(request);
        requireDatabase(node, request.database());
        try (Connection c = open(node, request.database())) {
            String key = digestKey(node, new Catalog(c), request.database(), request.table());
            return new TableDigests(c, node).rowHashes(request.table(), key, request.buckets(),
                    request.bucketIndexes(), request.settled());
        } catch (SQLException e) {
            throw PgErrors.failed(node, "list row hashes of table " + request.table(), e);
        }
    }

    @Override
    public ChangeHorizon changeHorizon(HorizonRequest request) {
        NetworkTopology self = requireTopology();
        String node = self.nodeName();
        RequestValidation check = new RequestValidation(node);
        check.required(request, "request");
        check.name(request.database(), "request.database");
        requireDatabase(node, request.database());
        try (Connection c = open(node, request.database())) {
            OpenTransactions.Horizon horizon = new OpenTransactions(c).horizon(request.database());
            return new ChangeHorizon(node, self.nodeIndex(), RowExplainSql.iso(horizon.instant()), horizon.heldBy());
        } catch (SQLException e) {
            throw PgErrors.failed(node, "read the change horizon of database " + request.database(), e);
        }
    }

    @Override
    public RowStates rowStates(RowStatesRequest request) {
        String node = nodeName();
        new RequestValidation(node).rowStatesRequest(request);
        requireDatabase(node, request.database());
        try (Connection c = open(node, request.database())) {
            Catalog catalog = new Catalog(c);
            String key = digestKey(node, catalog, request.database(), request.table());
            requireConflictTracking(node, catalog, request.table());
            List<String> columns = catalog.userColumns(request.table(), TableSpec.SYSTEM_COLUMNS).stream()
                    .map(ExistingColumn::name).toList();
            return new RowStates(node, request.table(),
                    new RowStatesReader(c, node).read(request.table(), key, columns, request.ids()));
        } catch (SQLException e) {
            throw PgErrors.failed(node, "read " + request.ids().size() + " rows of table " + request.table(), e);
        }
    }

    @Override
    public StepResult repairRows(RepairRowsRequest request) {
        String node = nodeName();
        new RequestValidation(node).repairRowsRequest(request);
        requireDatabase(node, request.database());
        synchronized (adminLock) {
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                Catalog catalog = new Catalog(c);
                String key = digestKey(node, catalog, request.database(), request.table());
                requireConflictTracking(node, catalog, request.table());
                new RowRepair(c, steps).applyAll(request.table(), key, request.rows());
            } catch (SQLException e) {
                throw PgErrors.failed(node, "repair " + request.rows().size() + " rows of table " + request.table(), e);
            }
            return new StepResult(node, steps.actions());
        }
    }

    @Override
    public RowExplanation explainRow(ExplainRequest request) {
        String node = nodeName();
        new RequestValidation(node).explainRequest(request);
        requireDatabase(node, request.database());
        try (Connection c = open(node, request.database())) {
            Catalog catalog = new Catalog(c);
            String key = digestKey(node, catalog, request.database(), request.table());
            requireConflictTracking(node, catalog, request.table());
            List<String> columns = catalog.userColumns(request.table(), TableSpec.SYSTEM_COLUMNS).stream()
                    .map(ExistingColumn::name).toList();
            return new RowExplainer(c, node).explain(request.table(), key, columns, request.id());
        } catch (SQLException e) {
            throw PgErrors.failed(node, "explain row " + request.id() + " of table " + request.table(), e);
        }
    }

    /** The table's key column, by which rows are bucketed: its one-column bigint primary key. */
    @Override
    public StepResult awaitTransactionsStartedBefore(TransactionWaitRequest request) {
        String node = nodeName();
        RequestValidation check = new RequestValidation(node);
        check.transactionWaitRequest(request);
        Instant before = Instant.parse(request.startedBefore());
        requireDatabase(node, request.database());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
        try (Connection c = open(node, request.database())) {
            OpenTransactions transactions = new OpenTransactions(c);
            List<String> open = transactions.startedBefore(request.database(), before);
            while (!open.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new NodeOperationException(RpcErrorCode.BUSY, node, "[" + node + "] " + open.size()
                            + " transaction(s) in database " + request.database() + " begun before " + before
                            + " still open after " + request.timeoutMillis() + " ms: " + String.join("; ", open),
                            null, null);
                }
                Thread.sleep(TRANSACTION_POLL_MILLIS);
                open = transactions.startedBefore(request.database(), before);
            }
        } catch (SQLException e) {
            throw PgErrors.failed(node, "list the open transactions of database " + request.database(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeOperationException(RpcErrorCode.INTERNAL, node, "[" + node + "] interrupted while waiting"
                    + " for open transactions", null, null, e);
        }
        return new StepResult(node, List.of());
    }

    @Override
    public StepResult pruneHistory(PruneRequest request) {
        String node = nodeName();
        new RequestValidation(node).pruneRequest(request);
        Instant cutoff = Instant.parse(request.cutoff());
        requireDatabase(node, request.database());
        synchronized (adminLock) {
            StepLog steps = new StepLog(node);
            try (Connection c = open(node, request.database())) {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    if (!catalog.tableExists(ConflictDdl.tombstoneTable(table))) {
                        throw NodeOperationException.notConfigured(node, "table " + table + " has no "
                                + ConflictDdl.tombstoneTable(table) + " in database " + request.database()
                                + "; call createReplicaTable first");
                    }
                }
                Instant clock = catalog.now();
                if (cutoff.isAfter(clock)) {
                    throw NodeOperationException.invalid(node, "request.cutoff", "must not be after this node's clock ("
                            + clock + "), got " + cutoff);
                }
                new HistoryPrune(c, steps).prune(request.tables(), cutoff);
            } catch (SQLException e) {
                throw PgErrors.failed(node, "prune the conflict history before " + cutoff, e);
            }
            return new StepResult(node, steps.actions());
        }
    }

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

    private NetworkTopology requireTopology() {
        NetworkTopology current = topology;
        if (current == null) {
            throw NodeOperationException.notConfigured(UNCONFIGURED,
                    "this node has no topology yet; call updateNetworkTopology first");
        }
        return current;
    }

    private StateStore.DatabaseRoles requireDatabase(String node, String database) {
        return state.database().filter(d -> d.name().equals(database)).orElseThrow(() ->
                NodeOperationException.notConfigured(node, "database " + database
                        + " was not initialized on this node; call initDatabase first"));
    }

    private Connection open(String node, String database) {
        try {
            return connections.open(database);
        } catch (SQLException e) {
            throw PgErrors.failed(node, "connect to database " + database, e);
        }
    }
}
