package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionTriggersTest {

    static final VersionTriggers.TableShape SHAPE = new VersionTriggers.TableShape("table1", "id", List.of(
            "id", "col1", "col2", "created_ts", "modified_ts", "modified_by", "prev_modified_ts", "prev_modified_by"));

    private static String between(String body, String from, String to) {
        int start = body.indexOf(from);
        assertThat(start).as("'%s' in body", from).isNotNegative();
        int end = body.indexOf(to, start + from.length());
        assertThat(end).as("'%s' after '%s'", to, from).isNotNegative();
        return body.substring(start, end);
    }

    @Test
    void namesFitTheLongestTableName() {
        String longest = "t".repeat(45);
        assertThat(VersionTriggers.writeFunction(longest)).hasSizeLessThanOrEqualTo(63);
        assertThat(VersionTriggers.deleteFunction(longest)).hasSizeLessThanOrEqualTo(63);
        assertThat(ConflictDdl.tombstoneTable(longest)).hasSize(63);
    }

    @Test
    void triggersAreRowTriggersOnTheTablesFunctions() {
        assertThat(VersionTriggers.createWriteTrigger("table1")).isEqualTo(
                "CREATE TRIGGER \"pgmesh_write\" BEFORE INSERT OR UPDATE ON \"public\".\"table1\""
                        + " FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgmesh_write_table1\"()");
        assertThat(VersionTriggers.createDeleteTrigger("table1")).isEqualTo(
                "CREATE TRIGGER \"pgmesh_delete\" BEFORE DELETE ON \"public\".\"table1\""
                        + " FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgmesh_delete_table1\"()");
        assertThat(VersionTriggers.enableAlways("table1", VersionTriggers.DELETE_TRIGGER)).isEqualTo(
                "ALTER TABLE \"public\".\"table1\" ENABLE ALWAYS TRIGGER \"pgmesh_delete\"");
        assertThat(VersionTriggers.dropTrigger("table1", SchemaVersion.LEGACY_TRIGGER)).isEqualTo(
                "DROP TRIGGER \"pgmesh_timestamps\" ON \"public\".\"table1\"");
    }

    @Test
    void functionsAreSecurityDefinerWithAFixedSearchPath() {
        String body = VersionTriggers.writeFunctionBody(SHAPE, 3);
        assertThat(VersionTriggers.createOrReplaceFunction("pgmesh_write_table1", body)).isEqualTo(
                "CREATE OR REPLACE FUNCTION \"public\".\"pgmesh_write_table1\"() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $pgmesh$" + body + "$pgmesh$");
        assertThat(VersionTriggers.alterFunctionOwner("\"public\".\"f\"()", "lbowner"))
                .isEqualTo("ALTER FUNCTION \"public\".\"f\"() OWNER TO \"lbowner\"");
    }

    @Test
    void localWritesStampVersionsAfterKnownDeletes() {
        String local = VersionTriggers.writeFunctionBody(SHAPE, 3).split("-- A local write", 2)[1];
        assertThat(local).contains(
                "PERFORM pg_advisory_xact_lock(hashtext('table1'), hashint8(NEW.\"id\") & 255);",
                "SELECT max(t.deleted_ts) INTO tomb_ts FROM \"public\".\"pgmesh_tombstones_table1\" AS t"
                        + " WHERE t.id = NEW.\"id\";",
                "NEW.created_ts := greatest(clock_timestamp(), tomb_ts + interval '1 microsecond');",
                "NEW.modified_ts := NEW.created_ts;",
                "NEW.prev_modified_ts := NULL;",
                "NEW.created_ts := OLD.created_ts;",
                "NEW.prev_modified_ts := OLD.modified_ts;",
                "NEW.prev_modified_by := OLD.modified_by;",
                "NEW.modified_ts := greatest(clock_timestamp(), OLD.modified_ts + interval '1 microsecond');",
                "NEW.modified_by := 3;\n  RETURN NEW;");
    }

    @Test
    void replicatedInsertsFollowTheInsertRules() {
        String body = VersionTriggers.writeFunctionBody(SHAPE, 3);
        String insert = between(body, "IF TG_OP = 'INSERT' THEN", "IF (NEW.modified_ts, NEW.modified_by) <= ");
        assertThat(insert).contains(
                "IF tomb_ts >= NEW.created_ts THEN",
                "'insert_deleted', local_ts, local_by,\n                      NEW.modified_ts, NEW.modified_by, 'local');\n"
                        + "        RETURN NULL;",
                "IF NOT FOUND THEN\n        RETURN NEW;",
                "IF (NEW.modified_ts, NEW.modified_by) > (local_ts, local_by) THEN",
                "PERFORM set_config('pgmesh.converting', 'on', true);",
                "UPDATE \"public\".\"table1\" AS r SET \"id\" = NEW.\"id\",\n              \"col1\" = NEW.\"col1\",",
                "\"prev_modified_by\" = NEW.\"prev_modified_by\"\n            WHERE r.\"id\" = NEW.\"id\";",
                "EXCEPTION WHEN OTHERS THEN",
                "'insert_insert'");
        assertThat(insert.indexOf("pg_advisory_xact_lock")).isLessThan(insert.indexOf("SELECT"));
        // a conversion that changed no row (deleted meanwhile) is judged again, not dropped
        String rejudge = between(insert, "IF changed = 0 THEN", "'remote');");
        assertThat(rejudge).contains("PERFORM 1 FROM \"public\".\"table1\" AS r WHERE r.\"id\" = NEW.\"id\";",
                "IF FOUND THEN", "'insert_deleted'", "RETURN NEW;");
        assertThat(insert).doesNotContain("RAISE EXCEPTION").endsWith("RETURN NULL;\n    END IF;\n    ");
    }

    @Test
    void replicatedUpdatesFollowTheUpdateRules() {
        String body = VersionTriggers.writeFunctionBody(SHAPE, 3);
        String update = between(body, "IF (NEW.modified_ts, NEW.modified_by) <= ", "-- A local write");
        assertThat(update).contains(
                "(OLD.modified_ts, OLD.modified_by) THEN",
                "AND current_setting('pgmesh.converting', true) IS DISTINCT FROM 'on' THEN",
                "'update_update', OLD.modified_ts, OLD.modified_by,\n                      NEW.modified_ts, NEW.modified_by, 'local');",
                "IF current_setting('pgmesh.converting', true) = 'on' THEN\n      RETURN NEW;",
                "IF NEW.created_ts IS DISTINCT FROM OLD.created_ts THEN",
                "'delete_update', OLD.modified_ts, OLD.modified_by,\n                      NEW.modified_ts, NEW.modified_by, 'local');",
                "IF (OLD.modified_ts, OLD.modified_by) IS DISTINCT FROM (NEW.prev_modified_ts, NEW.prev_modified_by) THEN",
                "NEW.modified_ts, NEW.modified_by, 'remote');\n    END IF;\n    RETURN NEW;");
        assertThat(update).doesNotContain(":=");
    }

    @Test
    void deletesLeaveTombstonesLocallyAndAreJudgedByThemInApply() {
        String body = VersionTriggers.deleteFunctionBody(SHAPE, 5);
        String replica = between(body, "'replica' THEN", "-- A local delete");
        assertThat(replica).contains(
                "ORDER BY t.deleted_ts DESC, t.deleted_by DESC LIMIT 1;",
                "IF NOT FOUND THEN\n      RETURN OLD;",
                "IF OLD.created_ts > tomb_ts THEN",
                "'delete_reinsert', OLD.modified_ts, OLD.modified_by,\n                    tomb_ts, tomb_by, 'local');\n      RETURN NULL;",
                "IF (OLD.modified_ts, OLD.modified_by) IS DISTINCT FROM (seen_ts, seen_by) THEN",
                "'delete_update'").doesNotContain("INSERT INTO");
        String local = body.split("-- A local delete", 2)[1];
        assertThat(local).contains("INSERT INTO \"public\".\"pgmesh_tombstones_table1\" (id, deleted_ts, deleted_by,"
                        + " row_modified_ts, row_modified_by)",
                "VALUES (OLD.\"id\", greatest(clock_timestamp(), OLD.modified_ts + interval '1 microsecond'), 5,",
                "RETURN OLD;").doesNotContain("pg_advisory_xact_lock");
    }

    @Test
    void bodiesDependOnNodeAndColumnsOnly() {
        assertThat(VersionTriggers.writeFunctionBody(SHAPE, 3)).isEqualTo(VersionTriggers.writeFunctionBody(SHAPE, 3))
                .isNotEqualTo(VersionTriggers.writeFunctionBody(SHAPE, 4));
        VersionTriggers.TableShape wider = new VersionTriggers.TableShape("table1", "id",
                List.of("id", "col1", "col2", "col3", "created_ts", "modified_ts", "modified_by",
                        "prev_modified_ts", "prev_modified_by"));
        assertThat(VersionTriggers.writeFunctionBody(wider, 3)).contains("\"col3\" = NEW.\"col3\"")
                .isNotEqualTo(VersionTriggers.writeFunctionBody(SHAPE, 3));
        assertThat(VersionTriggers.deleteFunctionBody(SHAPE, 3)).isNotEqualTo(VersionTriggers.deleteFunctionBody(SHAPE, 4));
    }

    @Test
    void refusesBadInput() {
        assertThatThrownBy(() -> VersionTriggers.writeFunctionBody(SHAPE, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VersionTriggers.TableShape("t", "id", List.of("key")))
                .isInstanceOf(IllegalArgumentException.class);
        VersionTriggers.TableShape evil = new VersionTriggers.TableShape("t", "id", List.of("id", "x\"; drop"));
        assertThatThrownBy(() -> VersionTriggers.writeFunctionBody(evil, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVersionOfAnotherIncarnationIsShadowedNotDiscarded() {
        String body = VersionTriggers.writeFunctionBody(SHAPE, 3);
        assertThat(body).contains("IF current_setting('pgmesh.reviving', true) = 'on' THEN");
        // insert-insert: the loser of another incarnation is kept, local or incoming
        assertThat(body).contains("IF local_created IS DISTINCT FROM NEW.created_ts THEN\n"
                + "          BEGIN INSERT INTO \"public\".\"pgmesh_shadows_table1\" AS s (id, created_ts, modified_ts, modified_by, row)"
                + " VALUES (NEW.\"id\", local_created, local_ts, local_by, local_row)");
        assertThat(body).contains("VALUES (NEW.\"id\", NEW.created_ts, NEW.modified_ts, NEW.modified_by, to_jsonb(NEW))");
        // update: an older incoming version of another incarnation, or a replaced local one
        assertThat(body).contains("VALUES (OLD.\"id\", OLD.created_ts, OLD.modified_ts, OLD.modified_by, to_jsonb(OLD))");
        assertThat(body).contains("WHERE (EXCLUDED.modified_ts, EXCLUDED.modified_by) > (s.modified_ts, s.modified_by);"
                + " EXCEPTION WHEN OTHERS THEN RAISE WARNING");
    }

    @Test
    void afterADeleteTheNewestShadowCreatedAfterItIsRevived() {
        String revive = VersionTriggers.reviveFunctionBody(SHAPE, 3);
        assertThat(revive).contains(
                "SELECT max(t.deleted_ts) INTO tomb_ts FROM \"public\".\"pgmesh_tombstones_table1\" AS t WHERE t.id = OLD.\"id\";",
                "WHERE s.id = OLD.\"id\" AND (tomb_ts IS NULL OR s.created_ts > tomb_ts)",
                "ORDER BY s.modified_ts DESC, s.modified_by DESC LIMIT 1;",
                "WHERE x.id = OLD.\"id\" AND x.created_ts <= tomb_ts FOR UPDATE SKIP LOCKED);",
                "INSERT INTO \"public\".\"table1\" SELECT * FROM jsonb_populate_record(NULL::\"public\".\"table1\", best.row);",
                "'delete_reinsert'",
                "EXCEPTION WHEN OTHERS THEN");
        assertThat(revive).doesNotContain("RAISE EXCEPTION");
        assertThat(VersionTriggers.createReviveTrigger("table1")).isEqualTo("CREATE TRIGGER \"pgmesh_revive\" AFTER DELETE ON"
                + " \"public\".\"table1\" FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgmesh_revive_table1\"()");
        assertThat(ConflictDdl.createShadowTable("table1")).contains("\"row\" jsonb NOT NULL")
                .contains("PRIMARY KEY (\"id\", \"created_ts\")");
    }
}
