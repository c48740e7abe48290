package io.pgmesh.orchestrator.suite;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteTableTest {

    private static final TableSpec TABLE1 = new TableSpec("table1", List.of(
            new ColumnSpec("id", "bigserial", true, false, null),
            new ColumnSpec("col1", "varchar", false, false, "default-value"),
            new ColumnSpec("col2", "varchar", false, false, null)));

    @Test
    void picksKeyAndTwoTextColumnsAndQuotesThemInSql() {
        SuiteTable t = SuiteTable.from(TABLE1);
        assertThat(t).isEqualTo(new SuiteTable("table1", "id", "col1", "col2"));
        assertThat(t.insertSql()).isEqualTo("INSERT INTO \"table1\" (\"col1\", \"col2\") VALUES (?, ?)");
        assertThat(t.upsertSql()).isEqualTo("INSERT INTO \"table1\" (\"id\", \"col1\", \"col2\") VALUES (?, ?, ?)"
                + " ON CONFLICT (\"id\") DO UPDATE SET \"col1\" = EXCLUDED.\"col1\", \"col2\" = EXCLUDED.\"col2\"");
        assertThat(t.updateSql()).isEqualTo("UPDATE \"table1\" SET \"col2\" = ? WHERE \"id\" = ?");
        assertThat(t.selectRangeSql()).isEqualTo("SELECT * FROM \"table1\" WHERE \"id\" BETWEEN ? AND ?");
    }

    @Test
    void aTableWithoutTwoTextColumnsIsExplained() {
        TableSpec narrow = new TableSpec("t", List.of(new ColumnSpec("id", "bigserial", true, false, null),
                new ColumnSpec("n", "integer", false, false, null), new ColumnSpec("s", "text", false, false, null)));
        assertThatThrownBy(() -> SuiteTable.from(narrow)).hasMessageContaining("(t)")
                .hasMessageContaining("two varchar/text columns").hasMessageContaining("it has 1");
    }

    @Test
    void scaleMultipliesAndMustBePositive() {
        assertThat(new SuiteOptions(3, true).times(200)).isEqualTo(600);
        assertThat(InsertSuite.rowsAdded(new SuiteOptions(2, false))).isEqualTo(1600);
        assertThatThrownBy(() -> new SuiteOptions(0, true)).hasMessageContaining("--scale");
    }
}
