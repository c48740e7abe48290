package io.pgmesh.protocol;

import java.util.List;

/**
 * What a node is told about itself and the mesh.
 *
 * @param cluster   cluster name
 * @param nodeName  this node's name
 * @param nodeIndex this node's index (0-based); it fixes the node's key range
 * @param network   the Docker network the mesh replicates over
 * @param hosts     every member of the mesh, this node included
 */
public record NetworkTopology(String cluster, String nodeName, int nodeIndex, String network,
                              List<TopologyHost> hosts) {
    public NetworkTopology {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
