package io.pgmesh.protocol;

/** Ask for at most {@code length} bytes (at most {@link TransferJob#MAX_CHUNK_BYTES}) of a job's file, from {@code offset}. */
public record ChunkRequest(String job, long offset, int length) {
}
