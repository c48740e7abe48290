package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decides whether a well-formed request may be dispatched (e.g. a shared-secret check). It
 * rejects by throwing {@link io.pgmesh.node.NodeOperationException}, which becomes the response.
 */
@FunctionalInterface
public interface CallGuard {

    CallGuard ADMIT_ALL = request -> { };

    void admit(ObjectNode request);
}
