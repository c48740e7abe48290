package io.pgmesh.protocol;

/** The pgmesh release this code is (the CLI's --version, a backup's manifest). */
public final class PgMeshVersion {

    public static final String VERSION = "0.1.0";

    private PgMeshVersion() {
    }
}
