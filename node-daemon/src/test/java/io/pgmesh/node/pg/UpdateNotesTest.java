package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateNotesTest {

    private static final VersionTriggers.TableShape SHAPE = new VersionTriggers.TableShape("table1", "id",
            List.of("id", "col1", "col2", "created_ts", "modified_ts", "modified_by", "prev_modified_ts", "prev_modified_by"));

    @Test
    void theNotesTableFitsTheSameNamesAsTheTombstones() {
        String longest = "t".repeat(63 - ConflictDdl.TOMBSTONES_PREFIX.length());
        assertThat(UpdateNotes.notesTable(longest).length()).isLessThanOrEqualTo(63);
        assertThat(UpdateNotes.noteFunction(longest).length()).isLessThanOrEqualTo(63);
        assertThat(UpdateNotes.applyFunction(longest).length()).isLessThanOrEqualTo(63);
        assertThat(UpdateNotes.createNotesTable("table1")).startsWith("CREATE TABLE \"public\".\"pgmesh_updates_table1\" (")
                .contains("\"seq\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
    }

    @Test
    void aLocalUpdateWritesItsVersionAsANoteAndRemovesItInTheSameTransaction() {
        String body = UpdateNotes.noteFunctionBody(SHAPE);
        assertThat(body).contains("INSERT INTO \"public\".\"pgmesh_updates_table1\" (id, row) VALUES (NEW.\"id\", to_jsonb(NEW))"
                + " RETURNING seq INTO n;")
                .contains("DELETE FROM \"public\".\"pgmesh_updates_table1\" AS u WHERE u.seq = n;");
        assertThat(UpdateNotes.createNoteTrigger("table1")).isEqualTo("CREATE TRIGGER \"pgmesh_note_update\" AFTER UPDATE ON"
                + " \"public\".\"table1\" FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgmesh_note_table1\"()");
    }

    @Test
    void aPeersNoteBecomesTheRowOnlyWhenTheRowIsMissingAndNoDeleteCoversIt() {
        String body = UpdateNotes.applyFunctionBody(SHAPE);
        assertThat(body).contains("r := jsonb_populate_record(NULL::\"public\".\"table1\", NEW.row);")
                .contains("PERFORM 1 FROM \"public\".\"table1\" AS t WHERE t.\"id\" = r.\"id\";")
                .contains("SELECT max(t.deleted_ts) INTO tomb_ts FROM \"public\".\"pgmesh_tombstones_table1\" AS t WHERE t.id = r.\"id\";")
                .contains("IF tomb_ts IS NULL OR tomb_ts < r.created_ts THEN")
                .contains("INSERT INTO \"public\".\"table1\" SELECT (r).*;")
                .contains("RAISE WARNING");
        assertThat(body.trim()).endsWith("RETURN NULL;\nEND;");
        assertThat(UpdateNotes.enableApplyTriggerForReplicaOnly("table1"))
                .isEqualTo("ALTER TABLE \"public\".\"pgmesh_updates_table1\" ENABLE REPLICA TRIGGER \"pgmesh_apply_update\"");
    }
}
