package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.NodeException;

import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import io.pgmesh.orchestrator.rpc.NodeSession;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.RpcAuth;
import io.pgmesh.protocol.NodeStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts a node's container (creating it when missing) and waits until its daemon answers. */
public final class NodeStarter {

    /** How long a started container may take until its daemon answers with PostgreSQL up. */
    static final Duration DAEMON_READY_TIMEOUT = Duration.ofSeconds(90);

    private final ClusterContext ctx;

    NodeStarter(ClusterContext ctx) {
        this.ctx = ctx;
    }

    /** The node's running container; {@code existing} is its container if it has one. */
    NodeContainer ensureRunning(int index, String image, NodeContainer existing) {
        return ensureRunning(index, image, existing, null);
    }

    /**
     * The node's running container; {@code existing} is its container if it has one; {@code host} is where a new
     * node goes on a runtime of several machines (null: the runtime picks).
     */
    NodeContainer ensureRunning(int index, String image, NodeContainer existing, String host) {
        String node = MeshNames.nodeName(index);
        NodeContainer container;
        if (existing == null) {
            ctx.log(node, ctx.config().runtime().isSwarm() ? "starting service " + ctx.containerName(node)
                    : "starting container " + ctx.containerName(node) + " at " + ctx.config().nodeAddress(index));
            container = ctx.runtime().create(nodeSpec(ctx, index, image, host));
        } else if (!existing.running()) {
            ctx.log(node, "starting existing container " + existing.containerName() + " (" + existing.state() + ")");
            container = ctx.runtime().start(existing.containerId());
        } else {
            ctx.log(node, "container " + existing.containerName() + " already running at " + existing.address());
            container = existing;
        }
        awaitDaemonReady(container);
        return container;
    }

    /**
     * What node {@code index} is created with: its settings as environment, the RPC secret, and its TLS material
     * issued by the cluster's CA for every name it is reached at (with what the runtime adds), handed over as files.
     */
    public static NodeContainerSpec nodeSpec(ClusterContext ctx, int index, String image, String host) {
        String node = MeshNames.nodeName(index);
        String address = ctx.config().nodeAddress(index).toString();
        String containerName = ctx.containerName(node);
        String replicationRole = ctx.config().roles().replication().id();
        io.pgmesh.orchestrator.runtime.NodeFiles tls = reachableAs -> {
            List<String> names = new java.util.ArrayList<>(List.of(node, containerName, address));
            names.addAll(reachableAs);
            ctx.log(node, "issuing its certificates for " + String.join(", ", names.stream().distinct().toList()));
            return ctx.pki().issueNode(node, replicationRole, names);
        };
        return new NodeContainerSpec(ctx.cluster(), node, index, containerName, image, ctx.networkName(), address,
                List.of("PGMESH_MAX_NODES=" + ctx.config().maxNodes(),
                        "PGMESH_TABLES=" + ctx.config().tables().size(),
                        "PGMESH_MAX_SLOT_WAL_KEEP_MB=" + ctx.config().maxSlotWalKeepMb(),
                        "PGMESH_CLUSTER=" + ctx.cluster(),
                        "PGMESH_NODE=" + node,
                        "PGMESH_REPLICATION_ROLE=" + replicationRole),
                Map.of(RpcAuth.ENV, ctx.rpcSecret()), host, tls);
    }

    private void awaitDaemonReady(NodeContainer container) {
        long started = System.nanoTime();
        try (NodeSession client = ctx.rpc(container)) {
            NodeStatus status = Poll.until(NodeException.prefixed(container.node(), "daemon ready"), DAEMON_READY_TIMEOUT,
                    Duration.ofMillis(100), () -> {
                        if (!ctx.runtime().inspect(container.containerId()).running()) {
                            throw new IllegalStateException("container " + container.containerName() + " stopped");
                        }
                        NodeStatus s = client.api().status();
                        return s.postgresUp() ? Optional.of(s) : Optional.empty();
                    });
            ctx.log(container.node(), String.format("daemon ready on %s, PostgreSQL %s (%.1f s)",
                    ctx.runtime().rpcEndpoint(container), status.postgresVersion(), (System.nanoTime() - started) / 1e9));
        } catch (Poll.TimeoutException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                    e.getMessage(), ctx.runtime().lastLogLines(container.containerId(), 20), e);
        }
    }
}
