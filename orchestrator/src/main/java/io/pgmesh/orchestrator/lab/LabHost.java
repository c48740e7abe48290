package io.pgmesh.orchestrator.lab;

/**
 * One simulated host of the lab: a container running a Docker engine.
 *
 * @param name      h1, h2, ...: the container's host name, hence the Swarm node's host name
 * @param index     1, 2, ...
 * @param address   its address on the lab network, e.g. 172.29.10.11
 * @param container its container's name, e.g. pgmesh-lab-h1
 */
public record LabHost(String name, int index, String address, String container) {

    /** The inner engine's TLS endpoint, e.g. {@code tcp://172.29.10.11:2376}. */
    public String dockerHost() {
        return "tcp://" + address + ":" + Lab.ENGINE_PORT;
    }
}
