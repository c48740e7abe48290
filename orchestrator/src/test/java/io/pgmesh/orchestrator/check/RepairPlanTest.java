package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepairPlanTest {

    private static RowVersion version(String created, String modified, int by, String value) {
        return new RowVersion(created, modified, by, null, null, Map.of("col2", value));
    }

    private static final RowVersion OLD = version("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z", 0, "old");
    private static final RowVersion NEW = version("2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z", 1, "new");
    private static final Tombstone DELETE = new Tombstone("2026-11-27T12:00:00Z", 2, "2026-11-27T11:00:00Z", 1);

    private static Map<String, List<RowState>> states(RowState... perNode) {
        Map<String, List<RowState>> byNode = new LinkedHashMap<>();
        for (int i = 0; i < perNode.length; i++) {
            byNode.put("node" + i, List.of(perNode[i]));
        }
        return byNode;
    }

    @Test
    void theNewerVersionGoesWhereTheOldOneOrNothingIs() {
        RepairPlan.Plan plan = RepairPlan.plan(states(new RowState(5, OLD, List.of()), new RowState(5, NEW, List.of()),
                new RowState(5, null, List.of())));
        assertThat(plan.fixes()).containsOnlyKeys("node0", "node2");
        assertThat(plan.fixes().get("node0")).containsExactly(new RowState(5, NEW, List.of()));
        assertThat(plan.fixes().get("node2")).containsExactly(new RowState(5, NEW, List.of()));
        assertThat(plan.rowsToChange()).isEqualTo(2);
        assertThat(plan.undecidable()).isEmpty();
    }

    @Test
    void aDeleteOfTheIncarnationRemovesItEverywhereAndItsTombstoneGoesWhereItIsMissing() {
        RepairPlan.Plan plan = RepairPlan.plan(states(new RowState(5, NEW, List.of()), new RowState(5, NEW, List.of()),
                new RowState(5, null, List.of(DELETE))));
        assertThat(plan.fixes()).containsOnlyKeys("node0", "node1");
        assertThat(plan.fixes().get("node0")).containsExactly(new RowState(5, null, List.of(DELETE)));
    }

    @Test
    void aRowReinsertedAfterTheDeleteSurvivesItAndTheNodeWithoutTheTombstoneGetsIt() {
        RowVersion reinserted = version("2026-11-27T13:00:00Z", "2026-11-27T13:00:00Z", 0, "again");
        RepairPlan.Plan plan = RepairPlan.plan(states(new RowState(5, reinserted, List.of(DELETE)),
                new RowState(5, reinserted, List.of())));
        assertThat(plan.fixes()).containsOnlyKeys("node1");
        assertThat(plan.fixes().get("node1")).containsExactly(new RowState(5, reinserted, List.of(DELETE)));
    }

    @Test
    void nodesThatAgreeGetNothingAndManyKeysArePlannedInOneGo() {
        Map<String, List<RowState>> byNode = new LinkedHashMap<>();
        byNode.put("node0", List.of(new RowState(1, NEW, List.of()), new RowState(2, OLD, List.of())));
        byNode.put("node1", List.of(new RowState(2, NEW, List.of()), new RowState(1, NEW, List.of())));
        RepairPlan.Plan plan = RepairPlan.plan(byNode);
        assertThat(plan.fixes()).containsOnlyKeys("node0");
        assertThat(plan.fixes().get("node0")).containsExactly(new RowState(2, NEW, List.of()));
    }

    @Test
    void theSameVersionWithOtherValuesHasNoWinnerAndIsLeftAlone() {
        RowVersion tampered = version("2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z", 1, "tampered");
        RepairPlan.Plan plan = RepairPlan.plan(states(new RowState(5, NEW, List.of()), new RowState(5, tampered, List.of())));
        assertThat(plan.fixes()).isEmpty();
        assertThat(plan.undecidable()).containsExactly(5L);
    }

    @Test
    void aKeyMissingFromANodesAnswerIsAnError() {
        Map<String, List<RowState>> byNode = new LinkedHashMap<>();
        byNode.put("node0", List.of(new RowState(1, NEW, List.of())));
        byNode.put("node1", List.of());
        assertThatThrownBy(() -> RepairPlan.plan(byNode)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 1 was read on [node0] only");
    }
}
