package io.pgmesh.node.service;

import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RowStates;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import io.pgmesh.protocol.UnsettledKeysRequest;
import io.pgmesh.protocol.TransactionWaitRequest;

/**
 * The node's JSON-RPC methods, each a script of idempotent, catalog-checked steps, delegated by
 * concern: {@link TopologyCalls}, {@link TableCalls}, {@link ReplicationCalls},
 * {@link ConsistencyCalls}, {@link HistoryCalls} and {@link StatusReport}, all written against the
 * one call skeleton {@link NodeCall}. Changing methods run one at a time (one admin operation per
 * node); the read-only ones (status, replicationProgress, changeHorizon, digestTable, unsettledKeys, rowHashes,
 * rowStates, explainRow) and awaitTransactionsStartedBefore run alongside without the admin lock.
 */
public final class NodeRpcService implements NodeRpc {

    /** Node name used in errors before updateNetworkTopology. */
    public static final String UNCONFIGURED = "unconfigured-node";
    /** Longest table name: its tombstone table pgmesh_tombstones_&lt;table&gt; must fit in 63 characters. */
    static final int MAX_TABLE_NAME = 63 - ConflictDdl.TOMBSTONES_PREFIX.length();

    private final NodeCall call;
    private final TopologyCalls topology;
    private final TableCalls tables;
    private final ReplicationCalls replication;
    private final ConsistencyCalls consistency;
    private final HistoryCalls history;
    private final TransferCalls transfers;
    private final TlsCalls tls;

    /**
     * @param tlsStore  the node's installed TLS material (PostgreSQL's files, the peers' conninfo)
     * @param rpcReload reloads the JSON-RPC server's certificates after installTls
     */
    public NodeRpcService(NodeConnections connections, StateStore state, io.pgmesh.node.transfer.TransferJobs jobs,
                          io.pgmesh.node.tls.TlsStore tlsStore, TlsReload rpcReload) {
        this.call = new NodeCall(connections, state, new io.pgmesh.node.pg.PeerTls(tlsStore.dir()));
        this.tls = new TlsCalls(call, tlsStore, rpcReload::reload);
        this.transfers = new TransferCalls(call, jobs);
        this.topology = new TopologyCalls(call);
        this.tables = new TableCalls(call);
        this.replication = new ReplicationCalls(call);
        this.consistency = new ConsistencyCalls(call);
        this.history = new HistoryCalls(call);
    }

    /** Reloads the JSON-RPC server's certificates (new connections use them). */
    @FunctionalInterface
    public interface TlsReload {
        void reload() throws java.io.IOException;
    }

    /** This node's name, or {@link #UNCONFIGURED}. */
    public String nodeName() {
        return call.nodeName();
    }

    /**
     * Brings the initialized database's schema to the current version (daemon start; not a JSON-RPC
     * method). Logs what it did, or why it could not; never throws.
     */
    public void upgradeSchema() {
        tables.upgradeSchema();
    }

    @Override
    public StepResult updateNetworkTopology(NetworkTopology update) {
        return topology.updateNetworkTopology(update);
    }

    @Override
    public StepResult initDatabase(DatabaseSpec spec) {
        return tables.initDatabase(spec);
    }

    @Override
    public StepResult createReplicaTable(ReplicaTableRequest request) {
        return tables.createReplicaTable(request);
    }

    @Override
    public StepResult subscribeToNode(SubscribeRequest request) {
        return replication.subscribeToNode(request);
    }

    @Override
    public SlotInfo ensureSlot(SlotRequest request) {
        return replication.ensureSlot(request);
    }

    @Override
    public StepResult dropSlot(SlotRequest request) {
        return replication.dropSlot(request);
    }

    @Override
    public StepResult setSubscriptionsEnabled(EnableRequest request) {
        return replication.setSubscriptionsEnabled(request);
    }

    @Override
    public StepResult dropSubscriptionsTo(PeerRequest request) {
        return replication.dropSubscriptionsTo(request);
    }

    @Override
    public NodeStatus status() {
        return new StatusReport(call.connections(), call.topology(), call.state().database().orElse(null)).read()
                .withTls(tls.state());
    }

    @Override
    public StepResult installTls(io.pgmesh.protocol.TlsInstallRequest request) {
        return tls.installTls(request);
    }

    @Override
    public ReplicationProgress replicationProgress() {
        return replication.replicationProgress();
    }

    @Override
    public TableDigest digestTable(DigestRequest request) {
        return consistency.digestTable(request);
    }

    @Override
    public StepResult continueKeyRange(io.pgmesh.protocol.KeyRangeRequest request) {
        return tables.continueKeyRange(request);
    }

    @Override
    public UnsettledKeys unsettledKeys(UnsettledKeysRequest request) {
        return consistency.unsettledKeys(request);
    }

    @Override
    public RowHashes rowHashes(RowHashRequest request) {
        return consistency.rowHashes(request);
    }

    @Override
    public ChangeHorizon changeHorizon(HorizonRequest request) {
        return consistency.changeHorizon(request);
    }

    @Override
    public RowStates rowStates(RowStatesRequest request) {
        return consistency.rowStates(request);
    }

    @Override
    public StepResult repairRows(RepairRowsRequest request) {
        return consistency.repairRows(request);
    }

    @Override
    public RowExplanation explainRow(ExplainRequest request) {
        return consistency.explainRow(request);
    }

    @Override
    public StepResult awaitTransactionsStartedBefore(TransactionWaitRequest request) {
        return history.awaitTransactionsStartedBefore(request);
    }

    @Override
    public StepResult pruneHistory(PruneRequest request) {
        return history.pruneHistory(request);
    }

    @Override
    public io.pgmesh.protocol.TransferJob startDump(io.pgmesh.protocol.DumpRequest request) {
        return transfers.startDump(request);
    }

    @Override
    public io.pgmesh.protocol.TransferJob startLoad(io.pgmesh.protocol.LoadRequest request) {
        return transfers.startLoad(request);
    }

    @Override
    public io.pgmesh.protocol.TransferJob transferJob(io.pgmesh.protocol.JobRequest request) {
        return transfers.transferJob(request);
    }

    @Override
    public io.pgmesh.protocol.FileChunk readJobChunk(io.pgmesh.protocol.ChunkRequest request) {
        return transfers.readJobChunk(request);
    }

    @Override
    public StepResult writeJobChunk(io.pgmesh.protocol.ChunkWrite request) {
        return transfers.writeJobChunk(request);
    }

    @Override
    public StepResult removeJob(io.pgmesh.protocol.JobRequest request) {
        return transfers.removeJob(request);
    }

    @Override
    public io.pgmesh.protocol.TableChecksums tableChecksums(io.pgmesh.protocol.ChecksumRequest request) {
        return transfers.tableChecksums(request);
    }
}
