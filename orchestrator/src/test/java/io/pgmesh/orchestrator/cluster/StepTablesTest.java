package io.pgmesh.orchestrator.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The step tables themselves: named once, each row commented, up and add-node sharing their wiring. */
class StepTablesTest {

    @Test
    void everyRowHasAUniqueNameAndAComment() {
        for (List<? extends Step<?, ?>> table : List.of(NodeJoin.NEW_CLUSTER, NodeJoin.LIVE_CLUSTER, NodeLeave.STEPS)) {
            assertThat(table).extracting(Step::name).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+(-[a-z]+)*"));
            assertThat(table).allSatisfy(step -> {
                assertThat(step.comment()).as(step.name()).isNotBlank();
                assertThat(step.doneText()).as(step.name()).isNotBlank();
            });
        }
    }

    @Test
    void upAndAddNodeShareTheSchemaStepsAndEndWithTheMembersSubscribing() {
        List<String> up = NodeJoin.newClusterStepNames();
        List<String> live = NodeJoin.liveStepNames();
        assertThat(up.subList(0, 3)).containsExactly("topology", "init-database", "create-tables")
                .isEqualTo(live.subList(0, 3));
        assertThat(up.get(up.size() - 1)).isEqualTo("members-subscribe").isEqualTo(live.get(live.size() - 1));
        assertThat(live).containsSubsequence("reserve-slots", "source-caught-up", "copy-from-source",
                "subscribe-to-others", "copy-done", "enable-others");
        assertThat(NodeLeave.stepNames()).containsExactly("retire", "drain", "drop-own-subscriptions",
                "drop-peer-subscriptions", "drop-leftover-slots", "topology", "remove-container");
    }
}
