package io.pgmesh.protocol;

/**
 * Something failed on a node: the one shape of the failures on both sides of the node RPC (the
 * daemon's NodeOperationException and the orchestrator's NodeRpcException). It carries the node,
 * what failed ({@link #detail()}) and, for database errors, the SQLSTATE, and for a bad request the
 * field at fault. Its message is the detail prefixed with the node, made in one place ({@link #prefixed}).
 */
public abstract class NodeException extends RuntimeException {

    private final String node;
    private final String detail;
    private final String sqlState;
    private final String field;

    protected NodeException(String node, String detail, String sqlState, String field, Throwable cause) {
        super(prefixed(node, detail), cause);
        this.node = node;
        this.detail = detail;
        this.sqlState = sqlState;
        this.field = field;
    }

    /** {@code [node] text}: how every message about a node begins. */
    public static String prefixed(String node, String text) {
        return "[" + node + "] " + text;
    }

    /** The node that failed. */
    public String node() {
        return node;
    }

    /** What failed, without the node. */
    public String detail() {
        return detail;
    }

    /** PostgreSQL's SQLSTATE, or null when the failure did not come from PostgreSQL. */
    public String sqlState() {
        return sqlState;
    }

    /** The request field at fault for an invalid request, else null. */
    public String field() {
        return field;
    }
}
