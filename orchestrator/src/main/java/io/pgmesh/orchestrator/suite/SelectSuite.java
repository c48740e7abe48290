package io.pgmesh.orchestrator.suite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

/**
 * 3 threads: 50 selects of ids 1..100000, 0.1 s apart (reader1); 80 selects of ids above 100000,
 * 0.2 s apart (reader2); 150 full selects, 0.1 s apart (reader1). Every row is read. Counts times
 * the scale.
 */
public final class SelectSuite implements Suite {

    private static final Duration LIMIT = Duration.ofMinutes(30);

    @Override
    public String name() {
        return "select";
    }

    @Override
    public void run(SuiteEnv env) {
        SuiteTable t = env.table();
        Workers.runAll(name(), List.of(
                () -> selects(env, "reader1", t.selectRangeSql(), new long[]{1, 100000}, env.options().times(50),
                        Duration.ofMillis(100)),
                () -> selects(env, "reader2", t.selectAboveSql(), new long[]{100000}, env.options().times(80),
                        Duration.ofMillis(200)),
                () -> selects(env, "reader1", t.selectAllSql(), new long[0], env.options().times(150),
                        Duration.ofMillis(100))), LIMIT);
    }

    private static void selects(SuiteEnv env, String group, String sql, long[] params, int count, Duration pause) {
        Pacer pacer = env.pacer();
        for (int i = 0; i < count; i++) {
            env.operations().run(group, c -> {
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    for (int p = 0; p < params.length; p++) {
                        select.setLong(p + 1, params[p]);
                    }
                    long rows = 0;
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                        }
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
