package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.docker.ClusterNetwork;
import io.pgmesh.orchestrator.docker.NodeContainer;
import io.pgmesh.orchestrator.docker.NodeContainers;
import io.pgmesh.orchestrator.rpc.NodeRpcClient;
import io.pgmesh.protocol.SqlNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every cluster operation works with: the cluster's name and configuration, the Docker
 * side, where secrets live, and where steps are logged.
 */
public record ClusterContext(String cluster, SysConfig config, NodeContainers containers, ClusterNetwork network,
                             Path home, Consumer<String> log) {

    /** How long one RPC call may take (createReplicaTable waits on every earlier peer). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    public ClusterContext {
        SqlNames.problem(cluster).ifPresent(p -> {
            throw new UsageException("--cluster", p);
        });
    }

    public String networkName() {
        return cluster + "_" + config.networkId();
    }

    public String containerName(String node) {
        return cluster + "-" + node;
    }

    public NodeRpcClient rpc(NodeContainer node) {
        return rpc(node, CALL_TIMEOUT);
    }

    /** A client of the node's daemon that sends the cluster's RPC secret with every call. */
    public NodeRpcClient rpc(NodeContainer node, Duration callTimeout) {
        if (!node.running() || node.rpcPort() == 0) {
            throw new IllegalStateException("[" + node.node() + "] container " + node.containerName()
                    + " is not running (" + node.state() + ")");
        }
        return NodeRpcClient.forLocalPort(node.node(), node.rpcPort(), callTimeout, rpcSecret());
    }

    /** The cluster's RPC secret, as stored at {@code up}. */
    public String rpcSecret() {
        return ClusterSecrets.rpcSecret(home, cluster);
    }

    public void log(String node, String message) {
        log.accept("[" + node + "] " + message);
    }

    /** Logs an idempotent step: the actions it took, or that everything was already in place. */
    public void logStep(String node, String step, io.pgmesh.protocol.StepResult result) {
        if (result.actions().isEmpty()) {
            log(node, step + ": already in place");
            return;
        }
        log(node, step);
        result.actions().forEach(a -> log(node, "  " + a));
    }
}
