package io.pgmesh.node.pg;

import java.nio.file.Path;

/** Renders the PostgreSQL settings the daemon owns: pure functions, no I/O. */
public final class ServerConfig {

    /** Spare workers/senders beyond one per peer (maintenance connections, a joining node). */
    static final int SPARE = 4;
    /** Background workers beyond the logical-replication ones (autovacuum launcher, parallel query...). */
    static final int EXTRA_WORKER_PROCESSES = 8;

    /**
     * wal_receiver_timeout: an apply worker that has heard nothing from its walsender for half of this asks it for a
     * keepalive, and gives up (and is restarted) after the whole of it. PostgreSQL's 60 s would let an idle but alive
     * stream go 30 s without a message, and a worker whose publisher vanished keep its pid for a minute; with 10 s an
     * alive stream brings a message at least every 5-6 s, so status can call a subscription streaming only when it
     * heard from its peer lately (the daemon's StatusReport), and a dead peer's worker is restarted within 10 s.
     * A stream that carries changes brings messages all the time: a live stream is only cut when its walsender
     * answers no keepalive request for 5 s, and then the worker reconnects and resumes at its slot's position.
     */
    public static final String WAL_RECEIVER_TIMEOUT = "10s";

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
    public static String renderSettings(Sizing sizing, long maxSlotWalKeepMb, Path hbaFile, Path tlsDir) {
        return renderSettings(sizing, maxSlotWalKeepMb, hbaFile) + renderTlsSettings(tlsDir);
    }

    /** The settings but TLS: what bench/baseline-mesh.sh gives its native mesh, so the two differ only there. */
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
                wal_receiver_timeout = %s
                hba_file = %s
                """.formatted(sizing.maxWalSenders(), sizing.maxReplicationSlots(),
                sizing.maxLogicalReplicationWorkers(), sizing.maxWorkerProcesses(), maxSlotWalKeepMb,
                Sql.literal(WAL_RECEIVER_TIMEOUT), Sql.literal(hbaFile.toString()));
    }

    /** TLS with the node's certificate from the cluster's CA; PostgreSQL re-reads the files at every reload. */
    public static String renderTlsSettings(Path tlsDir) {
        return """
                # TLS with the node's certificate from the cluster's CA; reloaded (no restart) when rotated
                ssl = on
                ssl_cert_file = %s
                ssl_key_file = %s
                ssl_ca_file = %s
                ssl_crl_file = %s
                ssl_min_protocol_version = 'TLSv1.2'
                """.formatted(Sql.literal(tlsDir.resolve(io.pgmesh.protocol.TlsFiles.SERVER_CERT).toString()),
                Sql.literal(tlsDir.resolve(io.pgmesh.protocol.TlsFiles.SERVER_KEY).toString()),
                Sql.literal(tlsDir.resolve(io.pgmesh.protocol.TlsFiles.CA).toString()),
                Sql.literal(tlsDir.resolve(io.pgmesh.protocol.TlsFiles.CRL).toString()));
    }

    /**
     * The pg_hba file: peer for the local postgres user on the socket; over the network TLS only ({@code hostssl}: a
     * plain connection matches no line and is refused), the replication role by client certificate (its CN must be
     * the role's name, and only the cluster's CA is trusted), every other role by SCRAM password.
     *
     * @param replicationRole a validated lower-case identifier (quoted here all the same)
     */
    public static String renderHba(String replicationRole) {
        String role = "\"" + replicationRole + "\"";
        return """
                # Written by the pgmesh node daemon at every start; edits are overwritten.
                # TYPE   DATABASE  USER      ADDRESS     METHOD
                local    all       postgres              peer
                hostssl  all       %1$s  0.0.0.0/0   cert
                hostssl  all       %1$s  ::/0        cert
                hostssl  all       all       0.0.0.0/0   scram-sha-256
                hostssl  all       all       ::/0        scram-sha-256
                """.formatted(role);
    }
}
