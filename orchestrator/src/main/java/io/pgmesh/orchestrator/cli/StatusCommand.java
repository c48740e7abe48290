package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.ClusterStatus;
import io.pgmesh.orchestrator.cluster.NodeReport;
import io.pgmesh.orchestrator.docker.NodeContainer;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

@Command(name = "status", aliases = "ps", mixinStandardHelpOptions = true,
        description = "Show each node: address, host ports, health and its subscriptions."
                + " Exits 1 when a node is not healthy or the cluster has no nodes.",
        footer = {"", "Example:", "  pgmesh status"})
final class StatusCommand extends ClusterCommand {

    @Override
    public Integer call() throws Exception {
        ClusterContext ctx = context();
        List<NodeReport> reports = new ClusterStatus(ctx).collect();
        PrintWriter out = out();
        if (reports.isEmpty()) {
            out.println("cluster " + ctx.cluster() + " has no nodes (run 'pgmesh up')");
            return ExitCodes.FAILURE;
        }
        out.println(render(reports));
        boolean allHealthy = reports.stream().allMatch(r -> NodeReport.HEALTHY.equals(r.health()));
        return allHealthy ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static String render(List<NodeReport> reports) {
        String format = "%-7s %-20s %-15s %-6s %-6s %-13s %-9s %s%n";
        StringBuilder sb = new StringBuilder(String.format(format,
                "NODE", "CONTAINER", "ADDRESS", "PG", "RPC", "HEALTH", "CONFLICTS", "SUBSCRIPTIONS"));
        for (NodeReport r : reports) {
            NodeContainer c = r.container();
            sb.append(String.format(format, c.node(), c.containerName(), orDash(c.address()),
                    c.pgPort() == 0 ? "-" : Integer.toString(c.pgPort()),
                    c.rpcPort() == 0 ? "-" : Integer.toString(c.rpcPort()),
                    r.health(), r.status() == null ? "-" : Long.toString(r.status().conflictCount()),
                    subscriptions(r)));
        }
        return sb.toString().stripTrailing();
    }

    private static String subscriptions(NodeReport r) {
        String subs = r.status() == null || r.status().subscriptions().isEmpty() ? "-"
                : r.status().subscriptions().stream()
                .map(s -> s.peer() + ":" + s.state())
                .collect(Collectors.joining(" "));
        return r.detail().isEmpty() ? subs : subs + "  (" + r.detail() + ")";
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
