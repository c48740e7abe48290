package io.pgmesh.pool;

/** What a group's connections are for; each role logs in with its own {@link Login}. */
public enum GroupRole {
    WRITER,
    READER
}
