package io.pgmesh.protocol;

/** Names a transfer job on a node. */
public record JobRequest(String job) {
}
