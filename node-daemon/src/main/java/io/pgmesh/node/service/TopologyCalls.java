package io.pgmesh.node.service;

import io.pgmesh.node.pg.StepLog;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.StepResult;

/** Who this node is and where its peers live: updateNetworkTopology (under the admin lock). */
final class TopologyCalls {

    private final NodeCall call;

    TopologyCalls(NodeCall call) {
        this.call = call;
    }

    StepResult updateNetworkTopology(NetworkTopology update) {
        return call.underAdminLock(() -> {
            new RequestValidation(call.nodeName()).topology(update);
            StepLog steps = new StepLog(update.nodeName());
            if (!update.equals(call.topology())) {
                steps.run(StepLog.Verb.STORE, "topology of cluster " + update.cluster() + ": " + update.nodeName()
                        + " (index " + update.nodeIndex() + ") among " + update.hosts().size() + " hosts",
                        () -> call.state().saveTopology(update));
                call.topology(update);
            }
            return new StepResult(update.nodeName(), steps.actions());
        });
    }
}
