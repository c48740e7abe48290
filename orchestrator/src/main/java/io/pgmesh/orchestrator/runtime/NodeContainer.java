package io.pgmesh.orchestrator.runtime;

/**
 * A node as its runtime reports it (for Docker: its container).
 *
 * @param containerId   Docker id
 * @param containerName Docker name, e.g. pgmesh-node0
 * @param node          node name from its label, e.g. node0
 * @param index         node index from its label
 * @param address       address on the cluster network, null when not attached
 * @param running       whether the container runs
 * @param state         Docker's state word (running, exited, ...)
 * @param pgPort        host port on 127.0.0.1 published for PostgreSQL, 0 when not running
 * @param rpcPort       host port on 127.0.0.1 published for the daemon, 0 when not running
 */
public record NodeContainer(String containerId, String containerName, String node, int index, String address,
                            boolean running, String state, int pgPort, int rpcPort) {
}
