package io.pgmesh.orchestrator.runtime;

import java.util.List;
import java.util.Map;

/**
 * Files a node is created with (its TLS material), by file name. They depend on where the node runs: a node's
 * server certificate must name every address clients and peers reach it at, and only the runtime knows some of them
 * (127.0.0.1 for ports published on this machine, the host's address on a Swarm). So the runtime asks for the files
 * once it knows, passing those names; the daemon finds them as {@code <delivery dir>/pgmesh-tls-<name>}.
 */
@FunctionalInterface
public interface NodeFiles {

    /** No files: a node made without TLS material (tests of the runtime only; a real daemon refuses to start). */
    NodeFiles NONE = reachableAs -> Map.of();

    /**
     * The files, issued now.
     *
     * @param reachableAs the names and addresses the runtime makes the node reachable at, besides the ones the
     *                    orchestrator knows (node name, container or service name, cluster address)
     */
    Map<String, String> issue(List<String> reachableAs);
}
