package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.Catalog;
import io.pgmesh.node.pg.ConflictDdl;
import io.pgmesh.node.pg.HistoryPrune;
import io.pgmesh.node.pg.OpenTransactions;
import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.TransactionWaitRequest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The conflict history: awaitTransactionsStartedBefore (waits, without the admin lock) and
 * pruneHistory (validates first, then deletes under it).
 */
final class HistoryCalls {

    /** How often awaitTransactionsStartedBefore looks again. */
    private static final long TRANSACTION_POLL_MILLIS = 100;

    private final NodeCall call;

    HistoryCalls(NodeCall call) {
        this.call = call;
    }

    StepResult awaitTransactionsStartedBefore(TransactionWaitRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).transactionWaitRequest(request);
        Instant before = Instant.parse(request.startedBefore());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
        String doing = "list the open transactions of database " + request.database();
        call.onInitialized(node, request.database(), doing, c -> {
            OpenTransactions transactions = new OpenTransactions(c);
            List<String> open = transactions.startedBefore(request.database(), before);
            while (!open.isEmpty()) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new NodeOperationException(RpcErrorCode.BUSY, node, open.size()
                            + " transaction(s) in database " + request.database() + " begun before " + before
                            + " still open after " + request.timeoutMillis() + " ms: " + String.join("; ", open),
                            null, null);
                }
                pause(node);
                open = transactions.startedBefore(request.database(), before);
            }
            return null;
        });
        return new StepResult(node, List.of());
    }

    private static void pause(String node) {
        try {
            Thread.sleep(TRANSACTION_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeOperationException(RpcErrorCode.INTERNAL, node, "interrupted while waiting"
                    + " for open transactions", null, null, e);
        }
    }

    StepResult pruneHistory(PruneRequest request) {
        String node = call.nodeName();
        new RequestValidation(node).pruneRequest(request);
        Instant cutoff = Instant.parse(request.cutoff());
        call.requireDatabase(node, request.database());
        return call.underAdminLock(() -> call.steps(node, request.database(),
                "prune the conflict history before " + cutoff, (c, steps) -> {
                    Catalog catalog = new Catalog(c);
                    for (String table : request.tables()) {
                        if (!catalog.tableExists(ConflictDdl.tombstoneTable(table))) {
                            throw NodeOperationException.notConfigured(node, "table " + table + " has no "
                                    + ConflictDdl.tombstoneTable(table) + " in database " + request.database()
                                    + "; call createReplicaTable first");
                        }
                    }
                    Instant clock = catalog.now();
                    if (cutoff.isAfter(clock)) {
                        throw NodeOperationException.invalid(node, "request.cutoff",
                                "must not be after this node's clock (" + clock + "), got " + cutoff);
                    }
                    new HistoryPrune(c, steps).prune(request.tables(), cutoff);
                }));
    }
}
