package io.pgmesh.orchestrator.config;

/**
 * How much WAL each node's replication slots may hold back for a peer that is down
 * ({@code system.networks[].config.wal.max_slot_keep_mb}; PostgreSQL's {@code max_slot_wal_keep_size}).
 *
 * <p>The default, 4096 MiB, is a bound on disk, not on time: every peer of a stopped node keeps the WAL written
 * since it stopped, and without a bound a node left down fills every peer's disk. 4 GiB holds what the insert
 * suite writes in well over an hour on the benchmark machine, so a node stopped for maintenance catches up by
 * streaming; past it, the peers drop what they kept, the node's slots are "lost", {@code status} says so, and the
 * node is rebuilt from a healthy peer instead. Choose it from the disk you can spare per node: the WAL kept is at
 * most this much in all, whatever the number of peers down. Keep it well above your largest transaction's WAL: a
 * slot cannot move past a transaction its subscriber is still applying, so a running peer's slot is lost too when
 * one transaction writes more than the limit (seen in WalGuardIT with one 150 MiB INSERT and a 64 MiB limit).
 */
public record WalConfig(int maxSlotKeepMb) {

    public static final int DEFAULT_MAX_SLOT_KEEP_MB = 4096;
    public static final int MIN_MAX_SLOT_KEEP_MB = 64;
    public static final int MAX_MAX_SLOT_KEEP_MB = 1_048_576;

    public static WalConfig defaults() {
        return new WalConfig(DEFAULT_MAX_SLOT_KEEP_MB);
    }
}
