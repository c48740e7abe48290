package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.protocol.ConflictKind;
import io.pgmesh.protocol.ConflictRecord;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code pgmesh conflicts explain}: every node's version of a row, the deletes and conflicts the
 * nodes recorded for it, and the rule that decided the outcome.
 */
public final class RowExplainer {

    /** Every node's answer and the rules' verdict. */
    public record Explanation(String table, long id, List<RowExplanation> nodes, ConflictRules.Outcome outcome,
                              boolean converged) {
    }

    private final ClusterContext ctx;

    public RowExplainer(ClusterContext ctx) {
        this.ctx = ctx;
    }

    public Explanation explain(String table, long id) {
        if (ctx.config().tables().stream().noneMatch(t -> t.name().equals(table))) {
            throw new UsageException("TABLE", "table '" + table + "' is not replicated (tables in "
                    + "system.config.database.tables: " + ctx.config().tables().stream().map(t -> t.name()).toList() + ")");
        }
        List<RowExplanation> answers = new ArrayList<>();
        for (NodeContainer node : ctx.runtime().list(ctx.cluster())) {
            if (!node.running()) {
                continue;
            }
            try (NodeSession client = ctx.rpc(node)) {
                answers.add(client.api().explainRow(new ExplainRequest(ctx.config().database(), table, id)));
            }
        }
        if (answers.isEmpty()) {
            throw new IllegalStateException("cluster " + ctx.cluster() + " has no running nodes");
        }
        return judge(table, id, answers);
    }

    /** Deciding, split from asking: a pure function of the nodes' answers. */
    static Explanation judge(String table, long id, List<RowExplanation> answers) {
        List<Version> versions = answers.stream().map(RowExplanation::row).filter(Objects::nonNull)
                .map(RowExplainer::version).toList();
        List<Instant> deletes = answers.stream().flatMap(a -> a.tombstones().stream())
                .map(t -> Instant.parse(t.deletedTs())).toList();
        boolean converged = answers.stream().map(a -> a.row() == null ? null : version(a.row())).distinct().count() == 1;
        ConflictRules.Outcome outcome = ConflictRules.outcome(versions, deletes);
        if (outcome.decidedBy().isEmpty()) {
            // Converged nodes hold one version; the conflicts they recorded say which rule got them there.
            outcome = new ConflictRules.Outcome(outcome.winner(), latestRecordedKind(answers));
        }
        return new Explanation(table, id, answers, outcome, converged);
    }

    private static java.util.Optional<ConflictKind> latestRecordedKind(List<RowExplanation> answers) {
        return answers.stream().flatMap(a -> a.conflicts().stream())
                .max(Comparator.comparing(c -> Instant.parse(c.resolvedAt())))
                .flatMap(c -> java.util.Arrays.stream(ConflictKind.values())
                        .filter(k -> k.wireName().equals(c.kind())).findFirst());
    }

    /** The version identity of a row as a node reported it. */
    public static Version version(RowVersion row) {
        return new Version(Instant.parse(row.createdTs()), Instant.parse(row.modifiedTs()), row.modifiedBy());
    }

    /** The explanation as the CLI prints it. */
    public static String render(Explanation e) {
        StringBuilder sb = new StringBuilder(e.table() + " id " + e.id());
        for (RowExplanation n : e.nodes()) {
            sb.append(System.lineSeparator()).append("  ").append(n.node()).append(": ");
            if (n.row() == null) {
                sb.append("absent");
            } else {
                RowVersion r = n.row();
                sb.append("version ").append(version(r)).append(" (created ").append(r.createdTs());
                if (r.prevModifiedTs() != null) {
                    sb.append(", replaced ").append(r.prevModifiedTs()).append(" by node").append(r.prevModifiedBy());
                }
                sb.append(") ").append(r.values().entrySet().stream()
                        .map(v -> v.getKey() + "=" + (v.getValue() == null ? "null" : "'" + v.getValue() + "'"))
                        .collect(Collectors.joining(", ")));
            }
        }
        List<Tombstone> tombstones = e.nodes().stream().flatMap(n -> n.tombstones().stream()).distinct()
                .sorted(Comparator.comparing(Tombstone::deletedTs)).toList();
        for (Tombstone t : tombstones) {
            sb.append(System.lineSeparator()).append("  deleted at ").append(t.deletedTs()).append(" by node")
                    .append(t.deletedBy()).append(" (it removed version ").append(t.rowModifiedTs()).append(" by node")
                    .append(t.rowModifiedBy()).append(')');
        }
        List<Map.Entry<String, ConflictRecord>> conflicts = new ArrayList<>();
        e.nodes().forEach(n -> n.conflicts().forEach(c -> conflicts.add(Map.entry(n.node(), c))));
        conflicts.sort(Comparator.comparing(c -> c.getValue().resolvedAt()));
        if (!conflicts.isEmpty()) {
            sb.append(System.lineSeparator()).append("  conflicts resolved on this row:");
        }
        for (Map.Entry<String, ConflictRecord> c : conflicts) {
            ConflictRecord r = c.getValue();
            sb.append(System.lineSeparator()).append("    ").append(r.resolvedAt()).append(' ').append(c.getKey())
                    .append(": ").append(r.kind()).append(", local ").append(r.localVersion()).append(" vs remote ")
                    .append(r.remoteVersion()).append(" -> ").append(r.winner()).append(" won");
        }
        sb.append(System.lineSeparator()).append("winner: ").append(e.outcome().winner()
                .map(v -> "version " + v).orElse("none: the row is deleted"));
        sb.append(System.lineSeparator()).append("rule: ").append(e.outcome().decidedBy()
                .map(k -> k.wireName() + ": " + k.rule()).orElse("no conflict: a single version"));
        if (!e.converged()) {
            sb.append(System.lineSeparator()).append("note: the nodes do not hold the same version yet;"
                    + " changes may still be in flight (run 'pgmesh check')");
        }
        return sb.toString();
    }
}
