package io.pgmesh.protocol;

/** Ask a node for its {@link ChangeHorizon} in a database. */
public record HorizonRequest(String database) {
}
