package io.pgmesh.orchestrator.swarm;

/**
 * A machine of the Swarm as its managers see it.
 *
 * @param id       the Swarm node id (what placement constraints pin to)
 * @param hostname the engine's hostname (what users name with {@code add-node --host})
 * @param address  the address other machines and the orchestrator reach it at
 * @param ready    whether the Swarm sees it up
 * @param active   whether it takes tasks (availability "active", not "pause" or "drain")
 * @param manager  whether it is a manager
 */
public record SwarmHost(String id, String hostname, String address, boolean ready, boolean active, boolean manager) {
}
