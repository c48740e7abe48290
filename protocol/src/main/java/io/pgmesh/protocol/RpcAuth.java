package io.pgmesh.protocol;

/**
 * How a JSON-RPC call proves it comes from the cluster's orchestrator: every request object
 * carries the per-cluster secret in a top-level member {@value #FIELD}; the daemon reads its copy
 * from the environment variable {@value #ENV}. A call without it, or with another value, is
 * refused with {@link RpcErrorCode#UNAUTHORIZED}.
 */
public final class RpcAuth {

    /** Top-level member of a request object that holds the secret. */
    public static final String FIELD = "auth";
    /** Environment variable of the node container that holds the secret. */
    public static final String ENV = "PGMESH_RPC_SECRET";
    /**
     * Environment variable naming a file that holds the secret instead (a Swarm secret under /run/secrets): the
     * secret itself then never appears in the container's environment.
     */
    public static final String FILE_ENV = "PGMESH_RPC_SECRET_FILE";
    /** Shortest secret a daemon accepts (generated ones are 32 characters). */
    public static final int MIN_LENGTH = 16;

    private RpcAuth() {
    }
}
