package io.pgmesh.orchestrator.cluster;

import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.protocol.MeshNames;
import com.github.dockerjava.api.model.Container;

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
        ctx.network().preflight(ctx.cluster(), ctx.networkName(), ctx.config());
        requireFreeContainerNames(nodeCount);
    }

    private void requireFreeContainerNames(int nodeCount) {
        Set<String> wanted = new LinkedHashSet<>();
        for (int i = 0; i < nodeCount; i++) {
            wanted.add(ctx.containerName(MeshNames.nodeName(i)));
        }
        for (Container c : ctx.containers().docker().listContainersCmd().withShowAll(true).exec()) {
            if (c.getLabels() != null && ctx.cluster().equals(c.getLabels().get(Labels.CLUSTER))) {
                continue;
            }
            for (String name : c.getNames() == null ? new String[0] : c.getNames()) {
                String plain = name.replaceFirst("^/", "");
                if (wanted.contains(plain)) {
                    throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                            "a container named " + plain + " already exists and is not a node of cluster "
                                    + ctx.cluster() + "; remove it (docker rm -f " + plain
                                    + ") or use another --cluster", null);
                }
            }
        }
    }
}
