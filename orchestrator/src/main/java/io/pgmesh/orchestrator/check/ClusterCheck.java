package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.SettledCutoffs;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import io.pgmesh.protocol.UnsettledKeysRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code pgmesh check}: compares every table on every node at a common point, so that it is right
 * while clients write.
 *
 * <ol>
 *   <li>Each node says up to when its own changes are all committed (its {@link ChangeHorizon}:
 *       now, or the start of its oldest open transaction).</li>
 *   <li>Replication drains past the WAL positions read after that, so every change a node stamped
 *       before its horizon (a <em>settled</em> change) is on every node.</li>
 *   <li>Every node digests its settled rows only. Where the digests differ, the rows are compared one
 *       by one, and a key that any node holds an unsettled version or delete of is left out: that
 *       change may still be on its way. Every other difference is real.</li>
 * </ol>
 * A real divergence on a key that is being written is left out of this check only; it is found by
 * the first check after the writes to that key stop (and a newer write replaces the whole row everywhere).
 */
public final class ClusterCheck {

    /** Buckets per table digest: divergent rows are then fetched for the differing buckets only. */
    static final int BUCKETS = 4096;

    /**
     * A table's outcome. {@code differences} is empty when the table is identical everywhere;
     * {@code inFlight} counts the keys left out because a node held an unsettled change of them.
     */
    public record TableResult(String table, List<TableDigest> digests, boolean identical,
                              Map<String, List<Divergence.RowDifference>> differences, int inFlight) {
        public TableResult(String table, List<TableDigest> digests, boolean identical,
                           Map<String, List<Divergence.RowDifference>> differences) {
            this(table, digests, identical, differences, 0);
        }
    }

    /** The whole check: how long the drain took, per table, and the settled cutoffs compared under. */
    public record Result(Duration drainTime, List<TableResult> tables, List<ChangeHorizon> horizons) {
        public Result(Duration drainTime, List<TableResult> tables) {
            this(drainTime, tables, List.of());
        }

        public boolean identical() {
            return tables.stream().allMatch(TableResult::identical);
        }
    }

    private final ClusterContext ctx;

    public ClusterCheck(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Result run(Duration drainTimeout) {
        return run(drainTimeout, Map.of());
    }

    /**
     * Compares only what changed since the given horizons (by node index; an origin without one: every
     * change), and a key deleted in that window on one node and not on another.
     */
    public Result run(Duration drainTimeout, Map<Integer, String> changedSince) {
        List<NodeContainer> nodes = ctx.runtime().list(ctx.cluster());
        if (nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no nodes (run 'pgmesh up')");
        }
        List<String> down = nodes.stream().filter(n -> !n.running()).map(n -> n.node() + " (" + n.state() + ")").toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("cannot check while nodes are down: " + String.join(", ", down)
                    + "; start them first");
        }
        try (NodeCalls calls = NodeCalls.open(ctx, nodes)) {
            List<ChangeHorizon> horizons = readHorizons(calls);
            Duration drained = awaitDrained(calls, drainTimeout);
            SettledCutoffs settled = SettledCutoffs.of(horizons, changedSince);
            if (!changedSince.isEmpty()) {
                ctx.log().accept("[check] comparing only what changed since " + changedSince.values().stream()
                        .min(String::compareTo).orElseThrow() + " (the join's start)");
            }
            List<TableResult> tables = new ArrayList<>();
            for (String table : MeshSpecs.tableNames(ctx.config())) {
                tables.add(compare(calls, table, settled));
            }
            return new Result(drained, tables, horizons);
        }
    }

    private List<ChangeHorizon> readHorizons(NodeCalls calls) {
        HorizonRequest request = new HorizonRequest(ctx.config().database());
        List<ChangeHorizon> horizons = List.copyOf(calls.onEach(c -> c.api().changeHorizon(request)).values());
        String earliest = horizons.stream().map(ChangeHorizon::horizon).min(String::compareTo).orElseThrow();
        ctx.log().accept("[check] comparing the changes each node made before its horizon (earliest " + earliest + ")");
        horizons.stream().filter(h -> h.heldBy() != null).forEach(h -> ctx.log(h.node(),
                "horizon held back to " + h.horizon() + " by an open transaction: " + h.heldBy()));
        return horizons;
    }

    private Duration awaitDrained(NodeCalls calls, Duration timeout) {
        ctx.log().accept("[check] waiting for replication to drain (deadline " + timeout.toSeconds() + " s)");
        Duration took = new ReplicationDrain(ctx).await(calls.clients(), timeout);
        ctx.log().accept(String.format("[check] replication drained in %.1f s", took.toMillis() / 1000.0));
        return took;
    }

    private TableResult compare(NodeCalls calls, String table, SettledCutoffs settled) {
        String database = ctx.config().database();
        // A key written after a horizon is unsettled on the nodes that have its new version and settled
        // (the old version) on the others: its bucket would differ. Leave such keys out of every digest.
        UnsettledKeysRequest keysRequest = new UnsettledKeysRequest(database, table, settled);
        Optional<Set<Long>> unsettled = unsettledAnywhere(
                List.copyOf(calls.onEach(c -> c.api().unsettledKeys(keysRequest)).values()));
        Set<Long> inFlight = new TreeSet<>(unsettled.orElse(Set.of()));
        List<Long> leftOut = List.copyOf(inFlight);
        DigestRequest digestRequest = new DigestRequest(database, table, BUCKETS, settled, leftOut);
        List<TableDigest> digests = List.copyOf(calls.onEach(c -> c.api().digestTable(digestRequest)).values());
        if (Divergence.identical(digests)) {
            logLeftOut(table, inFlight);
            return new TableResult(table, digests, true, Map.of(), inFlight.size());
        }
        // What differs now: a real divergence, or a key written since the keys were listed.
        Map<String, List<RowHashes.RowHash>> rows = new LinkedHashMap<>();
        for (List<Integer> batch : RowHashBatches.of(digests, Divergence.differingBuckets(digests))) {
            RowHashRequest request = new RowHashRequest(database, table, BUCKETS, batch, settled);
            calls.onEach(c -> c.api().rowHashes(request)).forEach((node, hashes) -> {
                rows.computeIfAbsent(node, k -> new ArrayList<>()).addAll(hashes.rows());
                inFlight.addAll(hashes.unsettledIds());
            });
        }
        List<RowHashes> perNode = new ArrayList<>();
        rows.forEach((node, r) -> perNode.add(new RowHashes(node, table, r)));
        Map<String, List<Divergence.RowDifference>> differences = Divergence.rowDifferences(perNode, inFlight);
        boolean identical = differences.values().stream().allMatch(List::isEmpty);
        logLeftOut(table, inFlight);
        return new TableResult(table, digests, identical, identical ? Map.of() : differences, inFlight.size());
    }

    /**
     * The keys that any node holds an unsettled change of; empty when a node could not list them all, or
     * when together they are more than a digest request may leave out (the rows of the buckets that then
     * differ are compared one by one, which leaves unsettled keys out just the same, only slower).
     */
    static Optional<Set<Long>> unsettledAnywhere(List<UnsettledKeys> perNode) {
        Set<Long> keys = new TreeSet<>();
        for (UnsettledKeys node : perNode) {
            if (!node.complete()) {
                return Optional.empty();
            }
            keys.addAll(node.ids());
        }
        return keys.size() > DigestRequest.MAX_LEFT_OUT ? Optional.empty() : Optional.of(keys);
    }

    private void logLeftOut(String table, Set<Long> inFlight) {
        if (!inFlight.isEmpty()) {
            ctx.log().accept("[check] " + table + ": left out " + inFlight.size() + " rows changed after a horizon"
                    + " (still in flight)");
        }
    }
}
