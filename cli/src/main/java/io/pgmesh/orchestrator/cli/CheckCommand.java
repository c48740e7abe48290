package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.check.ClusterCheck;
import io.pgmesh.orchestrator.check.Divergence;
import io.pgmesh.protocol.TableDigest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare every table on every node at a common point, right while clients write: each node's"
                + " rows up to its horizon (now, or the start of its oldest open transaction), once replication has"
                + " drained past it (row count and an order-independent checksum over all rows and columns). Rows"
                + " still in flight are left out and counted. On divergence, print per node the ids that differ and"
                + " exit 7.",
        footer = {"", "Examples:", "  pgmesh check --timeout 120",
                "  pgmesh check --json | jq '.tables[] | select(.identical | not) | .differingIds'"})
final class CheckCommand extends ClusterCommand {

    /** Ids listed per node at most; the rest are counted. */
    static final int MAX_IDS_SHOWN = 20;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for replication to drain (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON document for scripts: identical, drainedMillis, each"
            + " node's horizon, and per table the rows and checksum per node, every differing id and how many ids were"
            + " left out in flight (step logs go to stderr).")
    boolean json;

    @Override
    boolean logToStderr() {
        return json;
    }

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout: must be >= 1, got "
                    + timeoutSeconds);
        }
        ClusterCheck.Result result = new ClusterCheck(context()).run(Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(CheckJson.of(result)));
        } else {
            result.tables().forEach(t -> out.println(render(t)));
        }
        out.flush();
        return result.identical() ? ExitCodes.OK : ExitCodes.DIVERGENCE;
    }

    static String render(ClusterCheck.TableResult t) {
        StringBuilder sb = new StringBuilder();
        if (t.identical()) {
            TableDigest any = t.digests().get(0);
            sb.append(t.table()).append(": identical on ").append(t.digests().size()).append(" nodes (");
            if (Divergence.identical(t.digests())) {
                sb.append(any.rows()).append(" rows, checksum ").append(any.checksum());
            } else {
                long min = t.digests().stream().mapToLong(TableDigest::rows).min().orElse(0);
                long max = t.digests().stream().mapToLong(TableDigest::rows).max().orElse(0);
                sb.append(min == max ? min + " rows" : min + "-" + max + " rows");
            }
            if (t.inFlight() > 0) {
                sb.append("; ").append(t.inFlight()).append(t.inFlight() == 1 ? " row" : " rows")
                        .append(" changed after the check began left out, still in flight");
            }
            return sb.append(')').toString();
        }
        sb.append(t.table()).append(": DIVERGED");
        for (TableDigest d : t.digests()) {
            List<Divergence.RowDifference> diffs = t.differences().getOrDefault(d.node(), List.of());
            sb.append(System.lineSeparator()).append("  ").append(d.node()).append(": ").append(d.rows())
                    .append(" rows");
            if (!diffs.isEmpty()) {
                sb.append("; ").append(diffs.size()).append(diffs.size() == 1 ? " id differs: " : " ids differ: ");
                diffs.stream().limit(MAX_IDS_SHOWN).forEach(r -> sb.append(r).append(", "));
                sb.setLength(sb.length() - 2);
                if (diffs.size() > MAX_IDS_SHOWN) {
                    sb.append(" ... and ").append(diffs.size() - MAX_IDS_SHOWN).append(" more");
                }
            }
        }
        return sb.toString();
    }
}
