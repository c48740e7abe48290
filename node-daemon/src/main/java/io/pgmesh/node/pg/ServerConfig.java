package io.pgmesh.node.pg;

import java.nio.file.Path;

/** Renders the PostgreSQL settings the daemon owns: pure functions, no I/O. */
public final class ServerConfig {

    /** Spare workers/senders beyond one per peer (maintenance connections, a joining node). */
    static final int SPARE = 4;
    /** Background workers beyond the logical-replication ones (autovacuum launcher, parallel query...). */
    static final int EXTRA_WORKER_PROCESSES = 8;

    private ServerConfig() {
    }

    /**
     * Replication capacity for a mesh of up to {@code maxNodes} nodes replicating {@code tables}
     * tables: every peer holds one subscription per table on this node (one walsender and slot
     * here) and this node holds one per peer per table (one apply worker here).
     */
    public record Sizing(int maxWalSenders, int maxReplicationSlots, int maxLogicalReplicationWorkers,
                         int maxWorkerProcesses) {

        public static Sizing forMesh(int maxNodes, int tables) {
            if (maxNodes < 1) {
                throw new IllegalArgumentException("maxNodes must be >= 1, got " + maxNodes);
            }
            if (tables < 1) {
                throw new IllegalArgumentException("tables must be >= 1, got " + tables);
            }
            int perPeer = maxNodes * tables + SPARE;
            return new Sizing(perPeer, perPeer, perPeer, perPeer + EXTRA_WORKER_PROCESSES);
        }
    }

    /**
     * conf.d/pgmesh.conf. {@code maxSlotWalKeepMb} bounds the WAL the replication slots may hold back for a
     * subscriber that is down ({@code max_slot_wal_keep_size}): past it, the slot is invalidated ("lost") and
     * the node it serves must be resynced, but the disk does not fill up.
     */
    public static String renderSettings(Sizing sizing, long maxSlotWalKeepMb, Path hbaFile) {
        return """
                # Written by the pgmesh node daemon at every start; edits are overwritten.
                listen_addresses = '*'
                port = 5432
                wal_level = logical
                track_commit_timestamp = on
                max_connections = 200
                max_locks_per_transaction = 256
                password_encryption = 'scram-sha-256'
                standard_conforming_strings = on
                max_wal_senders = %d
                max_replication_slots = %d
                max_logical_replication_workers = %d
                max_worker_processes = %d
                max_slot_wal_keep_size = %dMB
                hba_file = %s
                """.formatted(sizing.maxWalSenders(), sizing.maxReplicationSlots(),
                sizing.maxLogicalReplicationWorkers(), sizing.maxWorkerProcesses(), maxSlotWalKeepMb,
                Sql.literal(hbaFile.toString()));
    }

    /** The pg_hba file: peer for the local postgres user, SCRAM for everything over TCP. */
    public static String renderHba() {
        return """
                # Written by the pgmesh node daemon at every start; edits are overwritten.
                # TYPE  DATABASE  USER      ADDRESS     METHOD
                local   all       postgres              peer
                host    all       all       0.0.0.0/0   scram-sha-256
                host    all       all       ::/0        scram-sha-256
                """;
    }
}
