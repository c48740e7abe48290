package io.pgmesh.orchestrator.runtime;

/**
 * A node's data as its runtime keeps it apart from the node's container (for Docker: a named volume
 * {@code <cluster>-<node>-data} holding PostgreSQL's data directory and the daemon's state). It outlives
 * the container: {@code down} keeps it, {@code up} brings the node back on it, {@code remove-node} deletes it.
 * The host ports picked when the node was first created are kept with it, so a node's JDBC URL stays the
 * same across stop/start, restart and a new container.
 *
 * @param name    the volume's name
 * @param node    node name, e.g. node0
 * @param index   node index
 * @param pgPort  host port of the node's PostgreSQL on 127.0.0.1 (0: not fixed)
 * @param rpcPort host port of the node's daemon on 127.0.0.1 (0: not fixed)
 */
public record NodeVolume(String name, String node, int index, int pgPort, int rpcPort) {
}
