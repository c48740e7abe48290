package io.pgmesh.orchestrator.runtime;

/** Where the orchestrator reaches a node's service (its daemon or its PostgreSQL). */
public record Endpoint(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
