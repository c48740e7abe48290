package io.pgmesh.node.pg;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema version of a node's database on one real PostgreSQL 17: a database made before the
 * version table existed is recognised by its catalog, an older layout is upgraded in place (first
 * as far as it can at daemon start, then by createReplicaTable's table steps), and an up-to-date
 * database is left alone.
 */
class SchemaVersionIT {

    private static final String CLUSTER = "pgmesh-it-schema";
    private static final String OWNER = "admin";
    private static final int NODE = 2;

    private static PostgresContainer pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PostgresContainer.start(CLUSTER);
        try (Connection postgres = pg.connect("postgres")) {
            DatabaseSetup setup = new DatabaseSetup(postgres, new StepLog("node2"));
            setup.ensureRole(new Credentials(OWNER, "owner-pw"), false);
            setup.ensureDatabase("legacy", OWNER);
            setup.ensureDatabase("unversioned", OWNER);
            setup.ensureDatabase("fresh", OWNER);
        }
    }

    @AfterAll
    static void tearDown() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void anOlderLayoutIsUpgradedInPlaceAndThenLeftAlone() throws SQLException {
        TableSpec t2 = table("t2");
        try (Connection c = pg.connect("legacy")) {
            exec(c, """
                    CREATE FUNCTION public.pgmesh_set_timestamps() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.modified_ts := clock_timestamp(); RETURN NEW; END $$;
                    CREATE TABLE public.t2 (id bigserial PRIMARY KEY, val text,
                      created_ts timestamptz NOT NULL DEFAULT clock_timestamp(),
                      modified_ts timestamptz NOT NULL DEFAULT clock_timestamp());
                    CREATE TRIGGER pgmesh_timestamps BEFORE INSERT OR UPDATE ON public.t2
                      FOR EACH ROW EXECUTE FUNCTION public.pgmesh_set_timestamps();
                    INSERT INTO public.t2 (val) VALUES ('made by the old layout');
                    """);

            // daemon start: the table still uses the old trigger, so the database stays at version 1
            StepLog start = new StepLog("node2");
            assertThat(new SchemaVersion(c, start).upgrade(OWNER)).isEqualTo(1);
            assertThat(start.actions()).containsExactly(
                    "created schema version table pgmesh_schema_version at version 1 (found in place)");
            assertThat(stored(c)).isEqualTo(1);

            // createReplicaTable: the table swaps its trigger, then the database goes to version 2
            List<String> actions = setUpTable(c, t2);
            assertThat(actions).contains(
                    "altered table t2 to add column modified_by",
                    "created trigger pgmesh_write on t2 in place of the trigger of schema version 1,"
                            + " firing always, also in apply workers",
                    "changed schema version from 1 to 2 (upgrade 002)");
            assertThat(stored(c)).isEqualTo(2);
            assertThat(count(c, "SELECT count(*) FROM pg_trigger WHERE tgname = 'pgmesh_timestamps'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_proc WHERE proname = 'pgmesh_set_timestamps'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'pgmesh_schema_version'"
                    + " AND tableowner = 'admin'")).isEqualTo(1);

            exec(c, "UPDATE public.t2 SET val = 'updated'");
            assertThat(count(c, "SELECT modified_by FROM public.t2")).isEqualTo(NODE);

            assertThat(setUpTable(c, t2)).isEmpty();
            StepLog again = new StepLog("node2");
            assertThat(new SchemaVersion(c, again).upgrade(OWNER)).isEqualTo(SchemaVersion.CURRENT);
            assertThat(again.actions()).isEmpty();
        }
    }

    @Test
    void aDatabaseMadeBeforeTheVersionTableIsRecognisedAsCurrent() throws SQLException {
        try (Connection c = pg.connect("unversioned")) {
            List<String> made = setUpTable(c, table("t3"), false);
            assertThat(made).isNotEmpty().noneMatch(a -> a.contains("schema version"));

            StepLog start = new StepLog("node2");
            assertThat(new SchemaVersion(c, start).upgrade(OWNER)).isEqualTo(2);
            assertThat(start.actions()).containsExactly(
                    "created schema version table pgmesh_schema_version at version 2 (found in place)");
            assertThat(setUpTable(c, table("t3"))).isEmpty();
        }
    }

    @Test
    void aFreshDatabaseStartsAtTheCurrentVersionAndANewerOneIsRefused() throws SQLException {
        try (Connection c = pg.connect("fresh")) {
            StepLog first = new StepLog("node2");
            assertThat(new SchemaVersion(c, first).upgrade(OWNER)).isEqualTo(SchemaVersion.CURRENT);
            assertThat(first.actions()).hasSize(1);
            exec(c, "UPDATE public.pgmesh_schema_version SET version = 99");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SchemaVersion(c, new StepLog("node2"))
                            .upgrade(OWNER))
                    .hasMessageContaining("database schema version 99 was written by a newer pgmesh");
        }
    }

    private static TableSpec table(String name) {
        return new TableSpec(name, List.of(new ColumnSpec("id", "bigserial", true, false, null),
                new ColumnSpec("val", "text", false, false, null)));
    }

    private static List<String> setUpTable(Connection c, TableSpec table) throws SQLException {
        return setUpTable(c, table, true);
    }

    /** createReplicaTable's table steps, as node 2; without the schema version step when {@code versioned} is false. */
    private static List<String> setUpTable(Connection c, TableSpec table, boolean versioned) throws SQLException {
        StepLog steps = new StepLog("node2");
        TableSetup tables = new TableSetup(c, steps);
        tables.ensureTable(table);
        tables.ensureOwner(table.name(), OWNER);
        tables.ensureKeyRange(table, NODE);
        tables.ensureConflictLog(OWNER);
        tables.ensureTombstoneTable(table.name(), OWNER);
        tables.ensureVersionTriggers(table, NODE, OWNER);
        tables.ensureUpdateNotes(table, OWNER);
        tables.ensureTruncateGuard(table.name(), OWNER);
        if (versioned) {
            tables.ensureSchemaVersion(OWNER);
        }
        return steps.actions();
    }

    private static int stored(Connection c) throws SQLException {
        return count(c, "SELECT version FROM public.pgmesh_schema_version");
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
