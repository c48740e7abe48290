package io.pgmesh.orchestrator.suite;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

/**
 * Inserts 4 rows with explicit ids (resetting them when an earlier run left them), waits until
 * every node has them, then 3 threads update row 1235433221 concurrently through different groups:
 * 20 updates 0.1 s apart (writer1), 40 updates 0.2 s apart (writer2), 15 updates 0.8 s apart
 * (writer1). Counts times the scale.
 */
public final class UpdateSuite implements Suite {

    public static final long TARGET_ID = 1235433221L;
    public static final List<Long> WRITER1_IDS = List.of(1235433221L, 1235433241L);
    public static final List<Long> WRITER2_IDS = List.of(1235433261L, 1235433281L);
    private static final Duration LIMIT = Duration.ofMinutes(30);

    @Override
    public String name() {
        return "update";
    }

    @Override
    public void run(SuiteEnv env) {
        WRITER1_IDS.forEach(id -> upsert(env, "writer1", id));
        WRITER2_IDS.forEach(id -> upsert(env, "writer2", id));
        env.awaitReplicated().run();
        Workers.runAll(name(), List.of(
                () -> updates(env, "writer1", "a", env.options().times(20), Duration.ofMillis(100)),
                () -> updates(env, "writer2", "b", env.options().times(40), Duration.ofMillis(200)),
                () -> updates(env, "writer1", "c", env.options().times(15), Duration.ofMillis(800))), LIMIT);
    }

    private static void upsert(SuiteEnv env, String group, long id) {
        env.operations().run(group, c -> {
            try (PreparedStatement upsert = c.prepareStatement(env.table().upsertSql())) {
                upsert.setLong(1, id);
                upsert.setString(2, "update-test");
                upsert.setString(3, "initial " + group);
                return upsert.executeUpdate();
            }
        });
    }

    private static void updates(SuiteEnv env, String group, String thread, int count, Duration pause) {
        Pacer pacer = env.pacer();
        for (int i = 0; i < count; i++) {
            int n = i;
            env.operations().run(group, c -> {
                try (PreparedStatement update = c.prepareStatement(env.table().updateSql())) {
                    update.setString(1, "thread " + thread + " update " + n);
                    update.setLong(2, TARGET_ID);
                    int rows = update.executeUpdate();
                    if (rows != 1) {
                        throw new java.sql.SQLException("row " + TARGET_ID + " not found (" + rows + " rows updated)",
                                "02000");
                    }
                    return rows;
                }
            });
            if (i < count - 1) {
                pacer.pause(pause);
            }
        }
    }
}
