package io.pgmesh.orchestrator.cli;

/** pgmesh's exit codes; the README and pgmesh --help list them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The operation failed (a node error, an unhealthy cluster, ...). */
    public static final int FAILURE = 1;
    /**
     * Bad command line: picocli's parse errors, and a {@link io.pgmesh.orchestrator.cluster.UsageException} (an
     * argument out of range or naming what the cluster does not have, e.g. an unknown node).
     */
    public static final int USAGE = 2;
    /** The Docker engine does not answer. */
    public static final int ENGINE_UNREACHABLE = 3;
    /**
     * sysconfig.json is invalid, including a subnet that overlaps an existing Docker network (checked against the
     * engine before {@code up} creates anything).
     */
    public static final int INVALID_CONFIG = 4;
    /** The node image or its base image is missing or cannot be built. */
    public static final int IMAGE = 5;
    /**
     * A container or network name is held by something that is not this cluster's, or the engine refused the
     * subnet as overlapping (a network created after the pre-flight check), or a volume of a node's name is not
     * its data; {@code restore} into a cluster that exists. Host ports are picked free when a node is first created; a kept node's ports taken by another
     * program since are a failure (1) naming them.
     */
    public static final int CONFLICT = 6;
    /** {@code check} found nodes whose data differ. */
    public static final int DIVERGENCE = 7;
    /**
     * {@code restore}: the file is not a pgmesh backup (not a zip archive, truncated, damaged, a foreign or newer
     * manifest), or it holds other tables than the config's.
     */
    public static final int BACKUP_FILE = 8;

    private ExitCodes() {
    }
}
