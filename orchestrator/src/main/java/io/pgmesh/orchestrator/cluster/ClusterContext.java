package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.rpc.NodeRpcFactory;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.runtime.NodeRuntime;
import io.pgmesh.protocol.SqlNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every cluster operation works with: the cluster's name and configuration, where its nodes run
 * ({@link NodeRuntime}), how to talk to their daemons ({@link NodeRpcFactory}), the hook around named
 * steps, where secrets live, and where steps are logged.
 */
public record ClusterContext(String cluster, SysConfig config, NodeRuntime runtime, NodeRpcFactory rpcFactory,
                             StepHook steps, Path home, Consumer<String> log) {

    /** How long one RPC call may take (an initial copy's steps wait on every earlier peer). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    /** Null {@code rpcFactory}: JSON-RPC to the runtime's endpoints with the stored secret; null {@code steps}: none. */
    public ClusterContext {
        SqlNames.problem(cluster).ifPresent(p -> {
            throw new UsageException("--cluster", p);
        });
        if (rpcFactory == null) {
            String name = cluster;
            Path dir = home;
            rpcFactory = NodeRpcFactory.overSockets(runtime, () -> ClusterSecrets.rpcSecret(dir, name),
                    () -> io.pgmesh.orchestrator.tls.ClusterPki.open(dir, name).clientTls());
        }
        steps = steps == null ? StepHook.NONE : steps;
    }

    /** Daemons reached over JSON-RPC at the runtime's endpoints, no step hook. */
    public ClusterContext(String cluster, SysConfig config, NodeRuntime runtime, Path home, Consumer<String> log) {
        this(cluster, config, runtime, null, StepHook.NONE, home, log);
    }

    public ClusterContext withSteps(StepHook hook) {
        return new ClusterContext(cluster, config, runtime, rpcFactory, hook, home, log);
    }

    public String networkName() {
        return cluster + "_" + config.networkId();
    }

    public String containerName(String node) {
        return cluster + "-" + node;
    }

    public NodeSession rpc(NodeContainer node) {
        return rpc(node, CALL_TIMEOUT);
    }

    /** A session with the node's daemon; the node must run. */
    public NodeSession rpc(NodeContainer node, Duration callTimeout) {
        if (!node.running() || node.rpcPort() == 0) {
            throw new IllegalStateException(NodeException.prefixed(node.node(), "container " + node.containerName()
                    + " is not running (" + node.state() + ")"));
        }
        return rpcFactory.open(node, callTimeout);
    }

    /** The cluster's certificate authority and what it issued, as stored at {@code up}. */
    public io.pgmesh.orchestrator.tls.ClusterPki pki() {
        return io.pgmesh.orchestrator.tls.ClusterPki.open(home, cluster);
    }

    /**
     * The JDBC URL of {@code database} on a node, where clients reach it: TLS with the node's certificate checked
     * against the cluster's CA and the host name ({@code sslmode=verify-full}). It works as printed.
     */
    public String jdbcUrl(NodeContainer node, String database) {
        return jdbcUrl(runtime.pgEndpoint(node), database, io.pgmesh.orchestrator.tls.ClusterPki.caFile(home, cluster));
    }

    /** {@code jdbc:postgresql://<endpoint>/<database>?sslmode=verify-full&sslrootcert=<caFile>}, values URL-encoded. */
    public static String jdbcUrl(io.pgmesh.orchestrator.runtime.Endpoint endpoint, String database, Path caFile) {
        java.util.function.Function<String, String> enc = v -> java.net.URLEncoder.encode(v,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://" + endpoint + "/" + enc.apply(database) + "?sslmode=verify-full&sslrootcert="
                + enc.apply(caFile.toString());
    }

    /** The cluster's RPC secret, as stored at {@code up}. */
    public String rpcSecret() {
        return ClusterSecrets.rpcSecret(home, cluster);
    }

    public void log(String node, String message) {
        log.accept(NodeException.prefixed(node, message));
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
