package io.pgmesh.orchestrator.rpc;

import io.pgmesh.protocol.NodeRpc;

/** A conversation with one node's daemon: its {@link NodeRpc} interface, closed when done. */
public interface NodeSession extends AutoCloseable {

    /** The node talked to. */
    String node();

    NodeRpc api();

    @Override
    void close();
}
