package io.pgmesh.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableSpecTest {

    private static final ColumnSpec ID = new ColumnSpec("id", "bigserial", true, false, null);

    @Test
    void theDefaultShapeIsValid() {
        assertThat(new TableSpec("table1", List.of(ID, new ColumnSpec("col1", "varchar", false, false, "x"))).problems())
                .isEmpty();
    }

    @Test
    void pgmeshOwnPrefixAndSystemColumnsAreReserved() {
        assertThat(new TableSpec("pgmesh_conflicts", List.of(ID)).problems())
                .anyMatch(p -> p.startsWith("name: 'pgmesh_conflicts' starts with 'pgmesh_'"));
        assertThat(new TableSpec("t", List.of(ID, new ColumnSpec("prev_modified_by", "integer", false, false, null)))
                .problems()).contains("columns[1].name: 'prev_modified_by' is reserved (pgmesh adds it)");
    }

    @Test
    void theKeyMustBeOneBigserialWithoutDefault() {
        assertThat(new TableSpec("t", List.of(new ColumnSpec("id", "integer", true, false, null))).problems())
                .anyMatch(p -> p.startsWith("columns[0].type: the primary key must be bigserial"));
        assertThat(new TableSpec("t", List.of(new ColumnSpec("x", "text", false, false, null))).problems())
                .contains("columns: exactly one column must be the primary key (found 0)");
    }

    @Test
    void injectionInANameOrTypeIsRefusedNamingTheField() {
        List<String> problems = new TableSpec("t", List.of(ID,
                new ColumnSpec("a\"; drop table t; --", "text", false, false, null),
                new ColumnSpec("b", "text); drop table t; --", false, false, null))).problems();
        assertThat(problems).anyMatch(p -> p.startsWith("columns[1].name: "))
                .anyMatch(p -> p.startsWith("columns[2].type: "));
    }
}
