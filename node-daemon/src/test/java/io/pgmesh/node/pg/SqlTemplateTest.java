package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTemplateTest {

    @Test
    void valuesGoInThroughTheQuotingHelpers() {
        assertThat(SqlTemplate.inline("SELECT {col} FROM {table} WHERE name = {name} LIMIT {n}")
                .ident("col", "c1").table("table", "t1").literal("name", "it's").number("n", 5).render())
                .isEqualTo("SELECT \"c1\" FROM \"public\".\"t1\" WHERE name = 'it''s' LIMIT 5");
    }

    @Test
    void aPlaceholderMayStandSeveralTimesAndValuesAreNeverScannedAgain() {
        assertThat(SqlTemplate.inline("{a} {b} {a}").sql("a", SqlTemplate.inline("x")).literal("b", "{a}").render())
                .isEqualTo("x '{a}' x");
    }

    @Test
    void listsJoinRenderedPieces() {
        List<SqlTemplate> pieces = List.of("a", "b").stream()
                .map(c -> SqlTemplate.inline("{c} = NEW.{c}").ident("c", c)).toList();
        assertThat(SqlTemplate.inline("SET {list}").sqlList("list", pieces, ", ").render())
                .isEqualTo("SET \"a\" = NEW.\"a\", \"b\" = NEW.\"b\"");
    }

    @Test
    void aPlaceholderWithoutValueFailsNamingTemplateAndPlaceholder() {
        assertThatThrownBy(() -> SqlTemplate.resource("conflicts/tombstones_table.sql").render())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sql/conflicts/tombstones_table.sql: no value for placeholder {tombstones}");
    }

    @Test
    void aValueWithoutPlaceholderFails() {
        assertThatThrownBy(() -> SqlTemplate.resource("conflicts/tombstones_table.sql")
                .table("tombstones", "pgmesh_tombstones_t").table("shadows", "x").render())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sql/conflicts/tombstones_table.sql: no placeholder {shadows} for the value(s) given");
    }

    @Test
    void badNamesAndDoubleValuesAndMissingResourcesFail() {
        assertThatThrownBy(() -> SqlTemplate.inline("{t}").table("t", "t\"; drop"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid SQL name");
        assertThatThrownBy(() -> SqlTemplate.inline("{t}").ident("t", "a").ident("t", "b"))
                .hasMessageContaining("{t} given twice");
        assertThatThrownBy(() -> SqlTemplate.inline("{t}").ident("T x", "a"))
                .hasMessageContaining("not a placeholder name");
        assertThatThrownBy(() -> SqlTemplate.resource("no/such.sql"))
                .hasMessage("SQL template sql/no/such.sql is not on the class path");
    }

    @Test
    void aResourcesFinalNewlineIsDroppedAndABodySitsOnItsOwnLines() {
        String ddl = ConflictDdl.createShadowTable("t1");
        assertThat(ddl).startsWith("CREATE TABLE \"public\".\"pgmesh_shadows_t1\" (\n").endsWith("\n)");
        assertThat(ConflictDdl.lockFunctionBody()).startsWith("\nDECLARE\n").endsWith("\nEND;\n");
    }
}
