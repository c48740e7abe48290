package io.pgmesh.orchestrator.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a node is created with.
 *
 * @param address static address on the cluster network (a runtime whose peers find each other by name ignores it)
 * @param env     environment of the node's processes
 * @param secrets secrets by environment variable name: a runtime with a secret store hands them over as files and
 *                sets {@code <NAME>_FILE} to the path; one without sets the variable itself
 * @param host    the machine to place a new node on, when the runtime spans several; null: the runtime picks
 * @param files   the node's TLS material, issued when the runtime knows where the node runs; never in the environment
 */
public record NodeContainerSpec(String cluster, String node, int index, String containerName, String image,
                                String network, String address, List<String> env, Map<String, String> secrets,
                                String host, NodeFiles files) {
    public NodeContainerSpec {
        env = List.copyOf(env);
        secrets = Map.copyOf(secrets);
        files = files == null ? NodeFiles.NONE : files;
    }

    public NodeContainerSpec(String cluster, String node, int index, String containerName, String image,
                             String network, String address, List<String> env, Map<String, String> secrets,
                             String host) {
        this(cluster, node, index, containerName, image, network, address, env, secrets, host, NodeFiles.NONE);
    }

    public NodeContainerSpec(String cluster, String node, int index, String containerName, String image,
                             String network, String address, List<String> env) {
        this(cluster, node, index, containerName, image, network, address, env, Map.of(), null);
    }

    /** The environment with the secrets set as plain variables (a runtime without a secret store). */
    public List<String> envWithSecrets() {
        List<String> all = new java.util.ArrayList<>(env);
        secrets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.add(e.getKey() + "=" + e.getValue()));
        return all;
    }
}
