package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;

/**
 * One node's row in {@code pgmesh status}.
 *
 * @param container what Docker says
 * @param status    what the daemon says, null when it could not be asked
 * @param health    healthy, joining, leaving, degraded, postgres-down, unreachable or down
 * @param detail    why the node is not healthy, empty when it is
 */
public record NodeReport(NodeContainer container, NodeStatus status, String health, String detail) {

    public static final String HEALTHY = "healthy";
    public static final String DEGRADED = "degraded";
    /** Half-joined: its initial copy runs, or subscriptions wait to be enabled (add-node finishes it). */
    public static final String JOINING = "joining";
    /** Being removed: remove-node began and has not finished (running it again does). */
    public static final String LEAVING = "leaving";
    public static final String POSTGRES_DOWN = "postgres-down";
    public static final String UNREACHABLE = "unreachable";
    public static final String DOWN = "down";

    public long streamingSubscriptions() {
        return status == null ? 0 : status.subscriptions().stream()
                .filter(SubscriptionInfo::streaming).count();
    }
}
