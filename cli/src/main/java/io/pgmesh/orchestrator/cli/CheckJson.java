package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.protocol.TableDigest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pgmesh check --json}: one document for scripts.
 *
 * @param identical     whether every table is identical on every node (exit 0; 7 otherwise)
 * @param drainedMillis how long replication took to drain before the comparison
 * @param horizons      per node, the instant before which its changes were compared (its own changes made
 *                      later, or in transactions still open then, are left out as in flight)
 * @param tables        per table
 */
record CheckJson(boolean identical, long drainedMillis, Map<String, String> horizons, List<Table> tables) {

    /**
     * @param rowsPerNode     rows per node
     * @param checksumPerNode the order-independent checksum per node
     * @param differingIds    per node that differs from the version most nodes hold: every id, and how it differs
     *                        (missing, different, only_here); empty when the table is identical
     * @param inFlightIds     how many keys were left out because a node held a change of them made after its horizon
     */
    record Table(String table, boolean identical, Map<String, Long> rowsPerNode, Map<String, String> checksumPerNode,
                 Map<String, List<Difference>> differingIds, int inFlightIds) {
    }

    record Difference(long id, String kind) {
    }

    static CheckJson of(ClusterCheck.Result result) {
        Map<String, String> horizons = new LinkedHashMap<>();
        result.horizons().forEach(h -> horizons.put(h.node(), h.horizon()));
        return new CheckJson(result.identical(), result.drainTime().toMillis(), horizons,
                result.tables().stream().map(CheckJson::table).toList());
    }

    private static Table table(ClusterCheck.TableResult t) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> checksums = new LinkedHashMap<>();
        Map<String, List<Difference>> differing = new LinkedHashMap<>();
        for (TableDigest d : t.digests()) {
            rows.put(d.node(), d.rows());
            checksums.put(d.node(), d.checksum());
            List<Divergence.RowDifference> diffs = t.differences().getOrDefault(d.node(), List.of());
            if (!diffs.isEmpty()) {
                differing.put(d.node(), diffs.stream()
                        .map(r -> new Difference(r.id(), r.kind().name().toLowerCase(Locale.ROOT))).toList());
            }
        }
        return new Table(t.table(), t.identical(), rows, checksums, differing, t.inFlight());
    }
}
