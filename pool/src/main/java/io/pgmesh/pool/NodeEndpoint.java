package io.pgmesh.pool;

/**
 * A mesh node reachable at {@code host:port} (in pgmesh: 127.0.0.1 and the container's published port).
 *
 * @param name the node's name, unique within a pool; used in pool names, counts and messages
 */
public record NodeEndpoint(String name, String host, int port) {

    public NodeEndpoint {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("node '" + name + "': host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("node '" + name + "': port must be 1..65535, was " + port);
        }
    }

    /** {@code name (host:port)}, as used in messages. */
    public String describe() {
        return name + " (" + host + ":" + port + ")";
    }
}
