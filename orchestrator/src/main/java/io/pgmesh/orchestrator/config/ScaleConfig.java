package io.pgmesh.orchestrator.config;

/** How many nodes a cluster on a network may have. */
public record ScaleConfig(int minNodes, int maxNodes) {
}
