package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.node.pg.ReplicationSetup;
import io.pgmesh.node.pg.StepLog;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;

/**
 * Subscriptions and slots (subscribeToNode, ensureSlot, dropSlot, setSubscriptionsEnabled,
 * dropSubscriptionsTo, all under the admin lock) and this node's progress as a publisher
 * (replicationProgress, read-only, without it).
 */
final class ReplicationCalls {

    /** How long dropSlot keeps ending the slot's walsender (its subscriber may reconnect) before giving up. */
    static final long SLOT_DROP_WAIT_MILLIS = 15_000;

    private final NodeCall call;

    ReplicationCalls(NodeCall call) {
        this.call = call;
    }

    StepResult subscribeToNode(SubscribeRequest request) {
        return call.underAdminLock(() -> {
            String node = call.requireTopology().nodeName();
            RequestValidation check = new RequestValidation(node);
            check.required(request, "request");
            check.name(request.database(), "database");
            check.host(request.peer(), "peer");
            if (request.peer().name().equals(node)) {
                throw NodeOperationException.invalid(node, "peer.name", "a node cannot subscribe to itself");
            }
            check.login(request.replication(), "replication");
            check.subscriptionOptions(request.options());
            if (request.tables().isEmpty()) {
                throw NodeOperationException.invalid(node, "tables", "must list at least one table");
            }
            for (int i = 0; i < request.tables().size(); i++) {
                String table = request.tables().get(i);
                check.name(table, "tables[" + i + "]");
                check.name(MeshNames.subscription(node, request.peer().name(), table), "tables[" + i + "]");
            }
            call.requireDatabase(node, request.database());
            return call.steps(node, request.database(), "subscribe to " + request.peer().name(), (c, steps) -> {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    if (!catalog.tableExists(table)) {
                        throw NodeOperationException.notConfigured(node, "table " + table
                                + " does not exist in database " + request.database() + "; call createReplicaTable first");
                    }
                }
                ReplicationSetup replication = new ReplicationSetup(c, steps, call.peerTls());
                for (String table : request.tables()) {
                    replication.ensureSubscriptionTo(node, request.peer(), request.database(), table,
                            request.replication(), request.options());
                }
            });
        });
    }

    SlotInfo ensureSlot(SlotRequest request) {
        return call.underAdminLock(() -> {
            String node = slotCallNode(request);
            return call.on(node, request.database(), "ensure replication slot " + request.slotName(), c -> {
                ReplicationSetup.SlotState slot = new ReplicationSetup(c, new StepLog(node), call.peerTls())
                        .ensureSlot(request.database(), request.slotName());
                return new SlotInfo(node, request.slotName(), Lsn.parse(slot.lsn()), slot.created());
            });
        });
    }

    StepResult dropSlot(SlotRequest request) {
        return call.underAdminLock(() -> {
            String node = slotCallNode(request);
            return call.steps(node, request.database(), "drop replication slot " + request.slotName(), (c, steps) ->
                    new ReplicationSetup(c, steps, call.peerTls()).dropSlot(request.database(), request.slotName(), SLOT_DROP_WAIT_MILLIS));
        });
    }

    private String slotCallNode(SlotRequest request) {
        String node = call.requireTopology().nodeName();
        new RequestValidation(node).slotRequest(request);
        call.requireDatabase(node, request.database());
        return node;
    }

    StepResult setSubscriptionsEnabled(EnableRequest request) {
        return call.underAdminLock(() -> {
            String node = call.requireTopology().nodeName();
            new RequestValidation(node).enableRequest(request, node);
            call.requireDatabase(node, request.database());
            String doing = (request.enabled() ? "enable" : "disable") + " subscriptions to " + request.peer();
            return call.steps(node, request.database(), doing, (c, steps) -> {
                Catalog catalog = new Catalog(c);
                for (String table : request.tables()) {
                    String subscription = MeshNames.subscription(node, request.peer(), table);
                    if (!catalog.subscriptionExists(subscription)) {
                        throw NodeOperationException.notConfigured(node, "there is no subscription " + subscription
                                + " to " + request.peer() + "; call subscribeToNode first");
                    }
                }
                ReplicationSetup replication = new ReplicationSetup(c, steps, call.peerTls());
                for (String table : request.tables()) {
                    replication.ensureSubscriptionEnabled(MeshNames.subscription(node, request.peer(), table),
                            request.enabled());
                }
            });
        });
    }

    StepResult dropSubscriptionsTo(PeerRequest request) {
        return call.underAdminLock(() -> {
            String node = call.requireTopology().nodeName();
            new RequestValidation(node).peerRequest(request, node);
            call.requireDatabase(node, request.database());
            return call.steps(node, request.database(), "drop subscriptions to " + request.peer(), (c, steps) -> {
                ReplicationSetup replication = new ReplicationSetup(c, steps, call.peerTls());
                for (String table : request.tables()) {
                    replication.dropSubscription(MeshNames.subscription(node, request.peer(), table), request.peer());
                }
            });
        });
    }

    ReplicationProgress replicationProgress() {
        String node = call.nodeName();
        return call.reading(node, NodeConnections.MAINTENANCE_DB, "read replication progress", c -> {
            Catalog catalog = new Catalog(c);
            return new ReplicationProgress(node, catalog.currentWalLsn(), catalog.walSenders(), catalog.slotRetention());
        });
    }
}
