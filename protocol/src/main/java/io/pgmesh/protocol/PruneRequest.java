package io.pgmesh.protocol;

import java.util.List;

/**
 * Remove the conflict history older than {@code cutoff} on one node: the tables' tombstones and
 * shadow versions, and the database's conflict log. Safe only once every change committed before
 * the cutoff has been applied on every node (the orchestrator waits for that first; see
 * {@link NodeRpc#awaitTransactionsStartedBefore} and docs/CONFLICTS.md, "Pruning conflict history").
 *
 * @param database database of the tables
 * @param tables   the replicated tables whose tombstones and shadows to prune
 * @param cutoff   an ISO-8601 instant, e.g. {@code 2026-11-25T03:00:00Z}: what is older goes
 */
public record PruneRequest(String database, List<String> tables, String cutoff) {
    public PruneRequest {
        tables = tables == null ? null : List.copyOf(tables);
    }
}
