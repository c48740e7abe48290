package io.pgmesh.orchestrator.runtime;

import java.util.List;

/** What a node container is created with. */
public record NodeContainerSpec(String cluster, String node, int index, String containerName, String image,
                                String network, String address, List<String> env) {
    public NodeContainerSpec {
        env = List.copyOf(env);
    }
}
