package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.MeshSpecs;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.cluster.ReplicationLag;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.tls.ClusterPki;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.SubscriptionInfo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

@Command(name = "status", aliases = "ps", mixinStandardHelpOptions = true,
        description = {"Show each node: address, host ports, health, conflicts resolved, rows, and how far it is behind"
                + " each peer (bytes of the peer's WAL it has not applied yet). Exits 1 when a node is not healthy or"
                + " the cluster has no nodes.",
                "Rows are counted exactly up to 100000 per table; '~' marks PostgreSQL's estimate above that."},
        footer = {"", "Examples:", "  pgmesh status", "  pgmesh status --matrix",
                "  pgmesh status --json | jq '.nodes[] | {node, health}'"})
final class StatusCommand extends ClusterCommand {

    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(5);

    static final class Format {
        @Option(names = "--json", description = "Print one JSON document for scripts (step logs go to stderr).")
        boolean json;

        @Option(names = "--matrix", description = "Print the N x N replication lag matrix: row = publisher,"
                + " column = subscriber, '-' on the diagonal, '?' when unknown.")
        boolean matrix;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Format format = new Format();

    @Override
    boolean logToStderr() {
        return format.json;
    }

    @Override
    public Integer call() throws Exception {
        ClusterContext ctx = context();
        List<NodeReport> reports = new ClusterStatus(ctx).collect();
        ReplicationLag lag = ReplicationLag.read(ctx, reports, PROGRESS_TIMEOUT);
        List<String> tables = MeshSpecs.tableNames(ctx.config());
        PrintWriter out = out();
        boolean allHealthy = !reports.isEmpty()
                && reports.stream().allMatch(r -> NodeReport.HEALTHY.equals(r.health()));
        List<String> certificates = certificateWarnings(reports, java.time.Instant.now());
        if (format.json) {
            List<String> all = new ArrayList<>(ReplicationLag.walWarnings(lag.walHeld(reports.stream()
                    .map(r -> r.container().node()).toList(), tables), ctx.config().maxSlotWalKeepMb()));
            all.addAll(certificates);
            out.println(Json.write(StatusJson.of(ctx.cluster(), allHealthy, reports, lag, all)));
        } else if (reports.isEmpty()) {
            out.println("cluster " + ctx.cluster() + " has no nodes (run 'pgmesh up')");
        } else if (format.matrix) {
            out.println(renderMatrix(reports.stream().map(r -> r.container().node()).toList(), lag, tables));
        } else {
            out.println(render(reports, lag));
        }
        List<ReplicationLag.WalHeld> held = lag.walHeld(reports.stream().map(r -> r.container().node()).toList(), tables);
        List<String> warnings = ReplicationLag.walWarnings(held, ctx.config().maxSlotWalKeepMb());
        if (!format.json) {
            warnings.forEach(w -> out.println("warning: " + w));
            certificates.forEach(w -> out.println("warning: " + w));
        }
        out.flush();
        boolean lost = held.stream().anyMatch(ReplicationLag.WalHeld::lost);
        return allHealthy && !lost ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    // ---- rendering: pure ----

    static String render(List<NodeReport> reports, ReplicationLag lag) {
        // a runtime of several machines (a Swarm) says where each node lives
        boolean hosts = reports.stream().anyMatch(r -> r.container().host() != null);
        List<String[]> rows = new ArrayList<>();
        rows.add(withHost(hosts, "HOST", new String[]{"NODE", "ADDRESS", "PG", "RPC", "HEALTH", "CONFLICTS", "ROWS",
                "CERT EXPIRES", "LAG BEHIND EACH PEER"}));
        for (NodeReport r : reports) {
            NodeContainer c = r.container();
            NodeStatus s = r.status();
            String lags = lagBehindPeers(r, lag);
            rows.add(withHost(hosts, orDash(c.host()), new String[]{c.node(), orDash(c.address()), port(c.pgPort()),
                    port(c.rpcPort()), r.health(), s == null ? "-" : Long.toString(s.conflictCount()), rows(s),
                    certificateExpiry(s), r.detail().isEmpty() ? lags : lags + "  (" + r.detail() + ")"}));
        }
        return columns(rows);
    }

    /** The day the node's certificate expires (UTC), "-" when the node did not say. */
    static String certificateExpiry(NodeStatus s) {
        if (s == null || s.tls() == null || s.tls().certificateNotAfter() == null) {
            return "-";
        }
        return s.tls().certificateNotAfter().substring(0, Math.min(10, s.tls().certificateNotAfter().length()));
    }

    /**
     * A warning per node whose certificate expires within {@link ClusterPki#EXPIRY_WARNING} of {@code now} (or has
     * expired), naming the command that renews it without downtime.
     */
    static List<String> certificateWarnings(List<NodeReport> reports, java.time.Instant now) {
        List<String> warnings = new ArrayList<>();
        for (NodeReport r : reports) {
            NodeStatus s = r.status();
            if (s == null || s.tls() == null || s.tls().certificateNotAfter() == null) {
                continue;
            }
            java.time.Instant notAfter = java.time.Instant.parse(s.tls().certificateNotAfter());
            if (!notAfter.isAfter(now)) {
                warnings.add(r.container().node() + "'s certificate expired on " + notAfter
                        + ": clients and peers refuse it; run 'pgmesh rotate-certs'");
            } else if (notAfter.isBefore(now.plus(ClusterPki.EXPIRY_WARNING))) {
                long days = Duration.between(now, notAfter).toDays();
                warnings.add(r.container().node() + "'s certificate expires on " + notAfter + " (in " + days
                        + (days == 1 ? " day" : " days") + "): run 'pgmesh rotate-certs'");
            }
        }
        return warnings;
    }

    /** The row with {@code host} as its second column when {@code hosts}. */
    private static String[] withHost(boolean hosts, String host, String[] row) {
        if (!hosts) {
            return row;
        }
        String[] with = new String[row.length + 1];
        with[0] = row[0];
        with[1] = host;
        System.arraycopy(row, 1, with, 2, row.length - 1);
        return with;
    }

    /**
     * Per peer this node subscribes to: bytes of the peer's WAL not applied here yet (the worst of the tables), the
     * subscription state when it does not stream (connecting, stalled with the age of its last message, stopped,
     * disabled), '?' when the peer did not say.
     */
    static String lagBehindPeers(NodeReport r, ReplicationLag lag) {
        if (r.status() == null || r.status().subscriptions().isEmpty()) {
            return "-";
        }
        Map<String, List<SubscriptionInfo>> byPeer = new TreeMap<>();
        r.status().subscriptions().forEach(s -> byPeer.computeIfAbsent(String.valueOf(s.peer()), k -> new ArrayList<>())
                .add(s));
        List<String> parts = new ArrayList<>();
        byPeer.forEach((peer, subs) -> {
            String notStreaming = subs.stream().filter(s -> !s.streaming()).map(SubscriptionInfo::stateDescription)
                    .findFirst().orElse(null);
            if (notStreaming != null) {
                parts.add(peer + " " + notStreaming);
                return;
            }
            long worst = 0;
            for (SubscriptionInfo s : subs) {
                OptionalLong l = lag.ofSubscription(s.peer(), s.name());
                if (l.isEmpty()) {
                    parts.add(peer + " ?");
                    return;
                }
                worst = Math.max(worst, l.getAsLong());
            }
            parts.add(peer + " " + bytes(worst));
        });
        return String.join(", ", parts);
    }

    /** Row: publisher, column: subscriber, value: the subscriber's lag behind the publisher. */
    static String renderMatrix(List<String> nodes, ReplicationLag lag, List<String> tables) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[nodes.size() + 1];
        header[0] = "FROM \\ TO";
        for (int j = 0; j < nodes.size(); j++) {
            header[j + 1] = nodes.get(j);
        }
        rows.add(header);
        for (String publisher : nodes) {
            String[] row = new String[nodes.size() + 1];
            row[0] = publisher;
            for (int j = 0; j < nodes.size(); j++) {
                String subscriber = nodes.get(j);
                OptionalLong l = publisher.equals(subscriber) ? OptionalLong.empty()
                        : lag.between(publisher, subscriber, tables);
                row[j + 1] = publisher.equals(subscriber) ? "-" : l.isPresent() ? bytes(l.getAsLong()) : "?";
            }
            rows.add(row);
        }
        return "Replication lag: bytes of FROM's WAL not yet applied on TO ('-' itself, '?' unknown)"
                + System.lineSeparator() + columns(rows);
    }

    /** Total rows over the node's tables: exact, or '~' and rounded when any table was estimated. */
    static String rows(NodeStatus s) {
        if (s == null || s.rows().isEmpty()) {
            return "-";
        }
        long total = s.rows().stream().mapToLong(NodeStatus.TableRows::rows).sum();
        boolean exact = s.rows().stream().allMatch(NodeStatus.TableRows::exact);
        if (exact) {
            return Long.toString(total);
        }
        return total >= 1_000_000 ? String.format(java.util.Locale.ROOT, "~%.1fM", total / 1e6)
                : String.format(java.util.Locale.ROOT, "~%dk", Math.round(total / 1e3));
    }

    /** Left-aligned columns two spaces apart; the last column is not padded. */
    static String columns(List<String[]> rows) {
        int n = rows.get(0).length;
        int[] widths = new int[n];
        rows.forEach(r -> {
            for (int i = 0; i < n; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(i == n - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString().stripTrailing();
    }

    private static String port(int port) {
        return port == 0 ? "-" : Integer.toString(port);
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** {@code 0 B}, {@code 512 B}, {@code 1.2 KiB}, {@code 3.4 MiB}, ... */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
