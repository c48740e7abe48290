package io.pgmesh.orchestrator.suite;

import java.sql.PreparedStatement;

/** 200 iterations, each 2 inserts through writer1 and 2 through writer2 (800 rows), times the scale. */
public final class InsertSuite implements Suite {

    public static final int ITERATIONS = 200;

    @Override
    public String name() {
        return "insert";
    }

    @Override
    public void run(SuiteEnv env) {
        String sql = env.table().insertSql();
        int iterations = env.options().times(ITERATIONS);
        for (int i = 0; i < iterations; i++) {
            for (String group : new String[]{"writer1", "writer1", "writer2", "writer2"}) {
                int iteration = i;
                env.operations().run(group, c -> {
                    try (PreparedStatement insert = c.prepareStatement(sql)) {
                        insert.setString(1, "insert-test");
                        insert.setString(2, group + " iteration " + iteration);
                        return insert.executeUpdate();
                    }
                });
            }
        }
    }

    /** Rows one run adds. */
    public static long rowsAdded(SuiteOptions options) {
        return 4L * options.times(ITERATIONS);
    }
}
