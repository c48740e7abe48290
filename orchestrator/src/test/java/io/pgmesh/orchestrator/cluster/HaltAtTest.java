package io.pgmesh.orchestrator.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaltAtTest {

    @Test
    void haltsOnlyAtTheNamedStepOfTheNamedNode() {
        List<String> log = new ArrayList<>();
        int[] halts = {0};
        HaltAt hook = HaltAt.parse("after:node3:create-tables", log::add, () -> halts[0]++);
        hook.before("node3", "create-tables");
        hook.after("node2", "create-tables");
        hook.after("node3", "init-database");
        assertThat(halts[0]).isZero();
        hook.after("node3", "create-tables");
        assertThat(halts[0]).isEqualTo(1);
        assertThat(log).containsExactly("[node3] halted after step create-tables (PGMESH_TEST_HALT_AT)");
    }

    @Test
    void aStepNoTableHasIsRefusedNamingTheSteps() {
        assertThatThrownBy(() -> HaltAt.parse("after:node3:no-such-step", line -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected before|after:NODE:STEP").hasMessageContaining("copy-from-source")
                .hasMessageContaining("drop-peer-subscriptions");
        assertThatThrownBy(() -> HaltAt.parse("during:node3:topology", line -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
