package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.MeshNames;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What {@code up} checks before it creates anything (secrets, image, network, containers), so that a config
 * or a name that cannot work leaves nothing behind:
 * <ul>
 *   <li>a network of the cluster's network name that is not the cluster's: CONFLICT;</li>
 *   <li>a configured subnet overlapping any other Docker network: invalid config, naming the subnet's JSON path;</li>
 *   <li>a container holding the name of one of the nodes to create that is not the cluster's: CONFLICT.</li>
 * </ul>
 * The engine would refuse each of these too, but only after earlier steps had created things.
 */
final class UpPreflight {

    private final ClusterContext ctx;

    UpPreflight(ClusterContext ctx) {
        this.ctx = ctx;
    }

    void check(int nodeCount) {
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < nodeCount; i++) {
            wanted.add(ctx.containerName(MeshNames.nodeName(i)));
        }
        ctx.runtime().preflight(ctx.cluster(), ctx.networkName(), ctx.config(), wanted);
    }
}
