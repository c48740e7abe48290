package io.pgmesh.protocol;

import com.googlecode.jsonrpc4j.JsonRpcParam;

/**
 * The JSON-RPC 2.0 interface a node daemon serves on {@link #PORT}, one JSON object per request.
 *
 * <p>Every method is idempotent: calling it again with the same arguments is not an error and
 * changes nothing; the returned {@link StepResult#actions()} is then empty. Failures come back
 * as JSON-RPC errors whose code is one of {@link RpcErrorCode} and whose data is an
 * {@link RpcErrorData} naming the node and, for database errors, the SQLSTATE.
 */
public interface NodeRpc {

    /** TCP port of the daemon inside the container. */
    int PORT = 64000;

    /**
     * The version of this interface a daemon speaks, reported in {@link NodeStatus#protocolVersion()}, so that an
     * orchestrator can tell an older daemon (during a rolling upgrade) before it calls a method the daemon lacks.
     * 0 (absent): before versions; 1: transfer jobs (startDump, startLoad, transferJob, readJobChunk, writeJobChunk,
     * removeJob) and tableChecksums; 2: JSON-RPC over mutual TLS only, installTls, TLS state in status.
     */
    int PROTOCOL_VERSION = 2;

    /** Tells the node who it is and where every member of the mesh lives. */
    StepResult updateNetworkTopology(@JsonRpcParam("topology") NetworkTopology topology);

    /** Creates the database and the owner, replication, writer and reader roles. */
    StepResult initDatabase(@JsonRpcParam("database") DatabaseSpec database);

    /**
     * Creates the replicated table with this node's key range, timestamp columns and triggers,
     * grants, this node's publication, and subscriptions to every node of lower index.
     */
    StepResult createReplicaTable(@JsonRpcParam("request") ReplicaTableRequest request);

    /** Subscribes this node to a (newly added) peer's publications. */
    StepResult subscribeToNode(@JsonRpcParam("request") SubscribeRequest request);

    /** What the node is and how its replication stands. */
    NodeStatus status();

    /** This node as publisher: its current WAL position and each subscriber's reported position. */
    ReplicationProgress replicationProgress();

    /**
     * Up to when this node's own changes are all committed (see {@link ChangeHorizon}): read it before
     * the WAL positions a drain waits for, and the changes stamped before it are on every node once drained.
     */
    ChangeHorizon changeHorizon(@JsonRpcParam("request") HorizonRequest request);

    /** Row count and order-independent checksum of a table, overall and per bucket. */
    TableDigest digestTable(@JsonRpcParam("request") DigestRequest request);

    /**
     * The keys of a table this node holds an unsettled change of (cheap: no row is hashed), so that a
     * comparison can leave the rows being written out of every node's digest.
     */
    UnsettledKeys unsettledKeys(@JsonRpcParam("request") UnsettledKeysRequest request);

    /** Per-row hashes of some buckets of a table, to locate divergent rows. */
    RowHashes rowHashes(@JsonRpcParam("request") RowHashRequest request);

    /**
     * Each table's key sequence continues after the highest key of this node's range the table holds (unchanged
     * when it already does, or when the table holds none): after a copy that brought the node's own rows back.
     */
    StepResult continueKeyRange(@JsonRpcParam("request") KeyRangeRequest request);

    /** Creates a logical replication slot (pgoutput) for a future subscriber unless it exists. */
    SlotInfo ensureSlot(@JsonRpcParam("request") SlotRequest request);

    /** Drops a replication slot (ending the walsender that uses it) if it exists. */
    StepResult dropSlot(@JsonRpcParam("request") SlotRequest request);

    /** Enables or disables this node's subscriptions to a peer. */
    StepResult setSubscriptionsEnabled(@JsonRpcParam("request") EnableRequest request);

    /**
     * Drops this node's subscriptions to a peer. When the peer cannot be reached, its slots are
     * left on it (detached first), so dropping never waits for a node that is gone.
     */
    StepResult dropSubscriptionsTo(@JsonRpcParam("request") PeerRequest request);

    /** The state (version and deletes) of many keys of a table, in one read-only snapshot. */
    RowStates rowStates(@JsonRpcParam("request") RowStatesRequest request);

    /**
     * Anti-entropy: brings many rows to the states the conflict rules picked (a winning version or
     * the row's deletion, plus every delete of the key known anywhere), in one transaction, each as
     * a replicated change judged by the same triggers and never forwarded to peers. Logical
     * replication does not order changes across origins, so an update can arrive before the insert
     * it modifies and is then skipped; this puts such rows right.
     */
    StepResult repairRows(@JsonRpcParam("request") RepairRowsRequest request);

    /** This node's version of one row, the deletes of its key it knows, and the conflicts it resolved on it. */
    RowExplanation explainRow(@JsonRpcParam("request") ExplainRequest request);

    /**
     * Returns once no client transaction of the database that began before the given instant is
     * open; fails with {@link RpcErrorCode#BUSY}, naming those transactions, when the wait times out.
     * Changes are stamped inside their transaction, so after this every change stamped before the
     * instant is committed (or gone).
     */
    StepResult awaitTransactionsStartedBefore(@JsonRpcParam("request") TransactionWaitRequest request);

    /**
     * Deletes the tombstones, shadow versions and conflict-log entries older than the cutoff on this
     * node only (under a replication origin, so the deletes are not replicated).
     */
    StepResult pruneHistory(@JsonRpcParam("request") PruneRequest request);

    /**
     * Starts a dump of tables into a job file on this node and returns at once ({@link TransferJob#RUNNING}): one
     * REPEATABLE READ snapshot, exported to pg_dump (custom format, data only), in which the daemon also reads each
     * table's {@link TableChecksum}. Asking again for the same job returns its state; poll {@link #transferJob}.
     */
    TransferJob startDump(@JsonRpcParam("request") DumpRequest request);

    /**
     * Starts loading a job file received by {@link #writeJobChunk} into empty tables and returns at once; fails (as
     * the job's state) when the file's size or SHA-256 differs, a table holds other rows, or the tables afterwards
     * differ from {@link LoadRequest#expected()}. Asking again for the same job returns its state.
     */
    TransferJob startLoad(@JsonRpcParam("request") LoadRequest request);

    /** The state of a dump or load; fails with INVALID_REQUEST when this node has no such job. */
    TransferJob transferJob(@JsonRpcParam("request") JobRequest request);

    /** Bytes of a finished dump's file. */
    FileChunk readJobChunk(@JsonRpcParam("request") ChunkRequest request);

    /** Appends bytes to a load's file (creating the job in state {@link TransferJob#RECEIVING}). */
    StepResult writeJobChunk(@JsonRpcParam("request") ChunkWrite request);

    /** Deletes a job's file and forgets the job (not a running one). */
    StepResult removeJob(@JsonRpcParam("request") JobRequest request);

    /** Each table's {@link TableChecksum}, all read in one snapshot. */
    TableChecksums tableChecksums(@JsonRpcParam("request") ChecksumRequest request);

    /**
     * Installs new TLS material (a rotation): when its generation is newer than the installed one, the node checks it,
     * installs it, reloads PostgreSQL's configuration (no restart: open sessions and replication streams go on) and
     * serves new JSON-RPC connections with it. An older or equal generation changes nothing.
     */
    StepResult installTls(@JsonRpcParam("request") TlsInstallRequest request);
}
