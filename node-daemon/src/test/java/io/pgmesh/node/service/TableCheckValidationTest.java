package io.pgmesh.node.service;

import io.pgmesh.node.NodeOperationException;
import io.pgmesh.node.pg.NodeConnections;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RpcErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** digestTable and rowHashes refuse bad requests before touching PostgreSQL (none runs here). */
class TableCheckValidationTest {

    @TempDir
    Path stateDir;

    private NodeRpcService service() {
        NodeConnections connections = new NodeConnections(stateDir.resolve("no-such-socket"));
        return new NodeRpcService(connections, new StateStore(stateDir), new io.pgmesh.node.transfer.TransferJobs(
                stateDir.resolve("transfers"), new io.pgmesh.node.transfer.PgTools(stateDir, stateDir), connections),
                new io.pgmesh.node.tls.TlsStore(stateDir), () -> { });
    }

    @Test
    void digestNamesTheBadField() {
        assertInvalid(() -> service().digestTable(null), "request");
        assertInvalid(() -> service().digestTable(new DigestRequest("Bad DB", "table1", 16)), "request.database");
        assertInvalid(() -> service().digestTable(new DigestRequest("lb-test", "t\"; drop", 16)), "request.table");
        assertInvalid(() -> service().digestTable(new DigestRequest("lb-test", null, 16)), "request.table");
        assertInvalid(() -> service().digestTable(new DigestRequest("lb-test", "table1", 0)), "request.buckets");
        assertInvalid(() -> service().digestTable(new DigestRequest("lb-test", "table1", 4097)), "request.buckets");
    }

    @Test
    void rowHashesNamesTheBadField() {
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", 16, List.of())),
                "request.bucketIndexes");
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", 16, List.of(3, 16))),
                "request.bucketIndexes");
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", 16, List.of(-1))),
                "request.bucketIndexes");
        List<Integer> tooMany = IntStream.range(0, 257).boxed().toList();
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", 4096, tooMany)),
                "request.bucketIndexes");
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", -5, List.of(0))),
                "request.buckets");
        assertInvalid(() -> service().rowHashes(new RowHashRequest("lb-test", "TABLE1", 16, List.of(0))),
                "request.table");
    }

    @Test
    void explainNamesTheBadField() {
        assertInvalid(() -> service().explainRow(null), "request");
        assertInvalid(() -> service().explainRow(new io.pgmesh.protocol.ExplainRequest("Bad DB", "table1", 1)),
                "request.database");
        assertInvalid(() -> service().explainRow(new io.pgmesh.protocol.ExplainRequest("lb-test", "t;x", 1)),
                "request.table");
        assertThatThrownBy(() -> service().explainRow(new io.pgmesh.protocol.ExplainRequest("lb-test", "table1", 1)))
                .isInstanceOfSatisfying(NodeOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_CONFIGURED));
    }

    @Test
    void tableNamesLeaveRoomForTheTombstoneTableAndAvoidThePgmeshPrefix() {
        RequestValidation check = new RequestValidation("node1");
        check.tableName("t".repeat(45), "table.name");
        assertThatThrownBy(() -> check.tableName("t".repeat(46), "table.name"))
                .isInstanceOfSatisfying(NodeOperationException.class, e -> {
                    assertThat(e.field()).isEqualTo("table.name");
                    assertThat(e.getMessage()).contains("at most 45 characters", "pgmesh_tombstones_");
                });
        assertThatThrownBy(() -> check.tableName("pgmesh_conflicts", "table.name"))
                .isInstanceOfSatisfying(NodeOperationException.class,
                        e -> assertThat(e.getMessage()).contains("reserved"));
    }

    @Test
    void acceptsTheLimits() {
        List<Integer> all = IntStream.range(0, 256).boxed().toList();
        RequestValidation check = new RequestValidation("node1");
        check.digestRequest(new DigestRequest("lb-test", "table1", 1));
        check.digestRequest(new DigestRequest("lb-test", "table1", 4096));
        check.rowHashRequest(new RowHashRequest("lb-test", "table1", 256, all));
        check.rowHashRequest(new RowHashRequest("lb-test", "table1", 1, Collections.nCopies(3, 0)));
    }

    @Test
    void aValidRequestNeedsTheDatabaseInitialized() {
        assertThatThrownBy(() -> service().digestTable(new DigestRequest("lb-test", "table1", 16)))
                .isInstanceOfSatisfying(NodeOperationException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_CONFIGURED);
                    assertThat(e.node()).isEqualTo(NodeRpcService.UNCONFIGURED);
                    assertThat(e.getMessage()).contains("lb-test was not initialized");
                });
        assertThatThrownBy(() -> service().rowHashes(new RowHashRequest("lb-test", "table1", 16, List.of(1))))
                .isInstanceOfSatisfying(NodeOperationException.class,
                        e -> assertThat(e.code()).isEqualTo(RpcErrorCode.NOT_CONFIGURED));
    }

    private static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NodeOperationException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcErrorCode.INVALID_REQUEST);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith("[" + NodeRpcService.UNCONFIGURED + "] invalid " + field);
        });
    }
}
