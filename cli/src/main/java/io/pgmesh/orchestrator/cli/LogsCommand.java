package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a node's log: the daemon's steps and PostgreSQL's messages (the container's stdout and"
                + " stderr, both on stdout; on a Swarm the service's log). With --follow, keep printing new lines"
                + " until the node stops or Ctrl-C."},
        footer = {"", "Examples:", "  pgmesh logs node0 --tail 20", "  pgmesh logs node1 -f | grep -i error"})
final class LogsCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "The node, e.g. node0.")
    String node;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the container stops (or Ctrl-C).")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (default: all).")
    Integer tail;

    @Option(names = {"-t", "--timestamps"}, description = "Start each line with the time Docker received it (UTC).")
    boolean timestamps;

    @Override
    public Integer call() throws Exception {
        if (tail != null && tail < 0) {
            throw new ParameterException(spec.commandLine(), "--tail: must be >= 0, got " + tail);
        }
        io.pgmesh.orchestrator.cluster.ClusterContext ctx = context();
        List<NodeContainer> nodes = ctx.runtime().list(global.cluster);
        NodeContainer container = find(nodes, node).orElseThrow(() ->
                new ParameterException(spec.commandLine(), unknownNode(global.cluster, node, nodes)));
        PrintWriter out = out();
        ctx.runtime().streamLogs(container, tail, follow, line -> {
            out.println(timestamps && line.time() != null ? line.time() + " " + line.text() : line.text());
            if (follow) {
                out.flush();
            }
        });
        out.flush();
        return ExitCodes.OK;
    }

    static Optional<NodeContainer> find(List<NodeContainer> nodes, String node) {
        return nodes.stream().filter(n -> n.node().equals(node)).findFirst();
    }

    /** The usage error for a node the cluster does not have: names it and lists the ones it has. */
    static String unknownNode(String cluster, String node, List<NodeContainer> nodes) {
        if (nodes.isEmpty()) {
            return "no node '" + node + "': cluster " + cluster + " has no nodes (run 'pgmesh up')";
        }
        return "no node '" + node + "' in cluster " + cluster + "; its nodes: "
                + nodes.stream().map(NodeContainer::node).collect(Collectors.joining(", "));
    }
}
