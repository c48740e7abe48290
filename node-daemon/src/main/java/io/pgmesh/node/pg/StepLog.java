package io.pgmesh.node.pg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the changing steps of one RPC call: logs "[node1] creating publication X", executes the
 * statement, records "created publication X" as an action, and turns a failure into
 * "[node1] could not create publication X: ... (SQLSTATE ...)".
 */
public final class StepLog {

    private static final Logger log = LoggerFactory.getLogger(StepLog.class);

    /** What a step does, in the three forms the log, the action list and an error need. */
    public enum Verb {
        CREATE("creating", "created", "create"),
        ALTER("altering", "altered", "alter"),
        CHANGE("changing", "changed", "change"),
        DROP("dropping", "dropped", "drop"),
        REFRESH("refreshing", "refreshed", "refresh"),
        GRANT("granting", "granted", "grant"),
        REPLACE("replacing", "replaced", "replace"),
        STORE("storing", "stored", "store"),
        ENABLE("enabling", "enabled", "enable"),
        DISABLE("disabling", "disabled", "disable"),
        DETACH("detaching", "detached", "detach"),
        TERMINATE("terminating", "terminated", "terminate");

        final String doing;
        final String done;
        final String infinitive;

        Verb(String doing, String done, String infinitive) {
            this.doing = doing;
            this.done = done;
            this.infinitive = infinitive;
        }
    }

    /** A step that may fail with an SQLException. */
    @FunctionalInterface
    public interface SqlStep {
        void run() throws SQLException;
    }

    private final String node;
    private final List<String> actions = new ArrayList<>();

    public StepLog(String node) {
        this.node = node;
    }

    public String node() {
        return node;
    }

    /** Executes one DDL statement as a step. */
    public void execute(Connection connection, Verb verb, String what, String sql) {
        run(verb, what, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute(sql);
            }
        });
    }

    /**
     * Executes several statements as one step in one transaction, so no other session sees the
     * state between them (e.g. a table with its old trigger dropped and the new one not yet made).
     */
    public void executeInTransaction(Connection connection, Verb verb, String what, List<String> sqls) {
        run(verb, what, () -> {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String sql : sqls) {
                    s.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Runs any step, logged and recorded the same way. */
    public void run(Verb verb, String what, SqlStep step) {
        log.info("[{}] {} {}", node, verb.doing, what);
        try {
            step.run();
        } catch (SQLException e) {
            throw PgErrors.failed(node, verb.infinitive + " " + what, e);
        }
        actions.add(verb.done + " " + what);
    }

    /**
     * Runs a step that may fail without failing the call (a caller has another way): on success it
     * is recorded as an action, on failure logged as a warning. Returns whether it succeeded.
     */
    public boolean attempt(Verb verb, String what, SqlStep step) {
        log.info("[{}] {} {}", node, verb.doing, what);
        try {
            step.run();
        } catch (SQLException e) {
            log.warn("[{}] could not {} {}: {}", node, verb.infinitive, what,
                    PgErrors.failed(node, verb.infinitive + " " + what, e).getMessage());
            return false;
        }
        actions.add(verb.done + " " + what);
        return true;
    }

    /** Records an action that was found done without running a step (e.g. by someone else meanwhile). */
    public void record(String action) {
        actions.add(action);
    }

    /** Records a step that needed nothing to happen (debug log only). */
    public void alreadyDone(String what) {
        log.debug("[{}] {} is already in place", node, what);
    }

    public List<String> actions() {
        return List.copyOf(actions);
    }
}
