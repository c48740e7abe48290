package io.pgmesh.orchestrator.runtime;

/**
 * A node as its runtime reports it (for Docker: its container; for a Swarm: its service and current task).
 *
 * @param containerId   Docker id (of the container, or of the Swarm service)
 * @param containerName Docker name, e.g. pgmesh-node0
 * @param node          node name from its label, e.g. node0
 * @param index         node index from its label
 * @param address       how peers reach it on the cluster network: an address, or the Swarm service's DNS name;
 *                      null when not attached
 * @param running       whether the container runs
 * @param state         Docker's state word (running, exited, ...)
 * @param pgPort        host port on 127.0.0.1 published for PostgreSQL, 0 when not running
 * @param rpcPort       host port on 127.0.0.1 published for the daemon, 0 when not running
 * @param host          the machine the node lives on when the runtime spans several (a Swarm node's hostname);
 *                      null on one engine
 */
public record NodeContainer(String containerId, String containerName, String node, int index, String address,
                            boolean running, String state, int pgPort, int rpcPort, String host) {

    /** A node of a runtime on one machine. */
    public NodeContainer(String containerId, String containerName, String node, int index, String address,
                         boolean running, String state, int pgPort, int rpcPort) {
        this(containerId, containerName, node, index, address, running, state, pgPort, rpcPort, null);
    }
}
