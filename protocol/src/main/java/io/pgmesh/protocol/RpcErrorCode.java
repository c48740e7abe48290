package io.pgmesh.protocol;

import java.util.Arrays;

/** Application error codes of the node daemon (the JSON-RPC server-error range -32000..-32099). */
public enum RpcErrorCode {
    /** PostgreSQL refused or failed a statement; the data carries the SQLSTATE. */
    PG_ERROR(-32010),
    /** PostgreSQL does not accept connections. */
    PG_UNAVAILABLE(-32011),
    /** A request field is invalid (identifier, type, missing value); nothing was executed. */
    INVALID_REQUEST(-32012),
    /** The node has not been told what it needs first (e.g. its topology). */
    NOT_CONFIGURED(-32013),
    /** The call did not carry the cluster's secret (see {@link RpcAuth}); nothing was executed. */
    UNAUTHORIZED(-32014),
    /** The node cannot do it yet (e.g. transactions it must outlast are still open); nothing was executed. */
    BUSY(-32015),
    /** The node could not read or write a file of its own (e.g. its disk is full); the detail says which. */
    STORAGE(-32016),
    /** Anything else: a bug in the daemon. */
    INTERNAL(-32099);

    private final int code;

    RpcErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The enum for a wire code, or {@code null} when the code is not one of ours (e.g. -32601). */
    public static RpcErrorCode fromCode(int code) {
        return Arrays.stream(values()).filter(c -> c.code == code).findFirst().orElse(null);
    }
}
