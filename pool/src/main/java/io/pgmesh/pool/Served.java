package io.pgmesh.pool;

/** The result of {@link MeshPool#inGroupServed} together with the name of the node that served it. */
public record Served<T>(T value, String node) {
}
