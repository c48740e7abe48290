package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.TopologyHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The call skeleton without PostgreSQL: what fails before connecting, and how a failed connect is reported. */
class NodeCallTest {

    @TempDir
    Path stateDir;

    private NodeCall call(boolean initialized) {
        StateStore state = new StateStore(stateDir);
        if (initialized) {
            state.saveTopology(new io.pgmesh.protocol.NetworkTopology("pgmesh", "node1", 1, "172.28.5.0/24",
                    List.of(new TopologyHost("node0", 0, "10.0.0.10"), new TopologyHost("node1", 1, "10.0.0.11"))));
            state.saveDatabase(new StateStore.DatabaseRoles("lb-test", "admin", "replicator", "writer", "reader"));
        }
        return new NodeCall(new NodeConnections(stateDir.resolve("no-such-socket")), state,
                new io.pgmesh.node.pg.PeerTls(stateDir.resolve("tls")));
    }

    @Test
    void beforeTheTopologyTheNodeIsUnconfigured() {
        NodeCall call = call(false);
        assertThat(call.nodeName()).isEqualTo(NodeRpcService.UNCONFIGURED);
        assertThatThrownBy(call::requireTopology).isInstanceOfSatisfying(NodeOperationException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_CONFIGURED);
            assertThat(e.getMessage()).isEqualTo("[unconfigured-node] this node has no topology yet;"
                    + " call updateNetworkTopology first");
        });
    }

    @Test
    void anUninitializedDatabaseFailsBeforeAnyConnectionIsTried() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> call(true).onInitialized("node1", "other-db", "digest table t", c -> ran.getAndSet(true)))
                .isInstanceOfSatisfying(NodeOperationException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_CONFIGURED);
                    assertThat(e.getMessage()).isEqualTo("[node1] database other-db was not initialized on this node;"
                            + " call initDatabase first");
                });
        assertThat(ran).isFalse();
    }

    @Test
    void aFailedConnectNamesTheDatabaseNotTheStep() {
        NodeCall call = call(true);
        assertThat(call.nodeName()).isEqualTo("node1");
        assertThatThrownBy(() -> call.steps("node1", "lb-test", "drop subscriptions to node0", (c, steps) -> { }))
                .isInstanceOfSatisfying(NodeOperationException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.PG_UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("[node1] could not connect to database lb-test: ");
                });
    }

    @Test
    void changingCallsRunOneAtATime() throws Exception {
        NodeCall call = call(true);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> call.underAdminLock(() -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        first.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean secondRan = new AtomicBoolean();
        Thread second = new Thread(() -> call.underAdminLock(() -> secondRan.getAndSet(true)));
        second.start();
        second.join(200);
        assertThat(secondRan).as("second call waits for the first").isFalse();
        release.countDown();
        second.join(5_000);
        first.join(5_000);
        assertThat(secondRan).isTrue();
    }
}
