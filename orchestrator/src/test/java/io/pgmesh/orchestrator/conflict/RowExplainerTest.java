package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.cluster.ClusterContext;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.protocol.ConflictKind;
import io.pgmesh.protocol.ConflictRecord;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RowExplainerTest {

    private static final String T1 = "2026-11-24T22:00:01.000001Z";
    private static final String T2 = "2026-11-24T22:00:02.000002Z";

    private static RowVersion row(String modified, int by, String col2) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", "42");
        values.put("col2", col2);
        return new RowVersion("2026-11-24T22:00:00Z", modified, by, null, null, values);
    }

    @Test
    void convergedNodesAreExplainedByTheConflictTheyRecorded() {
        ConflictRecord older = new ConflictRecord("table1", 42, "insert_insert", T1 + " by node0", T2 + " by node1",
                "remote", "2026-11-24T22:00:03Z");
        ConflictRecord newer = new ConflictRecord("table1", 42, "update_update", T1 + " by node0", T2 + " by node1",
                "remote", "2026-11-24T22:00:04Z");
        List<RowExplanation> answers = List.of(
                new RowExplanation("node0", "table1", 42, row(T2, 1, "b"), List.of(), List.of(older, newer)),
                new RowExplanation("node1", "table1", 42, row(T2, 1, "b"), List.of(), List.of()));
        RowExplainer.Explanation e = RowExplainer.judge("table1", 42, answers);
        assertThat(e.converged()).isTrue();
        assertThat(e.outcome().decidedBy()).contains(ConflictKind.UPDATE_UPDATE);
        String text = RowExplainer.render(e);
        assertThat(text).contains("node0: version " + T2 + " by node1").contains("col2='b'")
                .contains("winner: version " + T2 + " by node1")
                .contains("rule: update_update: " + ConflictKind.UPDATE_UPDATE.rule())
                .doesNotContain("note:");
    }

    @Test
    void aDeletedRowShowsItsTombstoneAndTheDeleteRule() {
        Tombstone t = new Tombstone(T2, 0, T1, 1);
        List<RowExplanation> answers = List.of(
                new RowExplanation("node0", "table1", 42, null, List.of(t), List.of()),
                new RowExplanation("node1", "table1", 42, null, List.of(t), List.of(new ConflictRecord("table1", 42,
                        "delete_update", T1 + " by node1", "deleted " + T2 + " by node0", "remote", T2))));
        RowExplainer.Explanation e = RowExplainer.judge("table1", 42, answers);
        assertThat(e.outcome().deleted()).isTrue();
        assertThat(e.outcome().decidedBy()).contains(ConflictKind.DELETE_UPDATE);
        assertThat(RowExplainer.render(e)).contains("node0: absent")
                .contains("deleted at " + T2 + " by node0 (it removed version " + T1 + " by node1)")
                .contains("winner: none: the row is deleted");
    }

    @Test
    void nodesStillDisagreeingAreFlagged() {
        List<RowExplanation> answers = List.of(
                new RowExplanation("node0", "table1", 42, row(T1, 0, "a"), List.of(), List.of()),
                new RowExplanation("node1", "table1", 42, row(T2, 1, "b"), List.of(), List.of()));
        RowExplainer.Explanation e = RowExplainer.judge("table1", 42, answers);
        assertThat(e.converged()).isFalse();
        assertThat(e.outcome().winner()).map(Version::modifiedBy).contains(1);
        assertThat(RowExplainer.render(e)).contains("note: the nodes do not hold the same version yet");
    }

    @Test
    void aTableThatIsNotReplicatedIsAUsageErrorNamingTheReplicatedTablesBeforeAnyNodeIsAsked() {
        ClusterContext ctx = new ClusterContext("c", SysConfigLoader.load(Path.of("..", "sysconfig.json"), name -> null),
                null, Path.of("unused"), line -> { });
        UsageException e = catchThrowableOfType(UsageException.class, () -> new RowExplainer(ctx).explain("nope", 1));
        assertThat(e.argument()).isEqualTo("TABLE");
        assertThat(e.problem()).startsWith("table 'nope' is not replicated (tables in system.config.database.tables: [")
                .contains(ctx.config().tables().get(0).name());
    }
}
