package io.pgmesh.protocol;

/**
 * Bytes of a job's file from {@code offset} (base64 on the wire); {@code size} is the whole file's, so the caller
 * knows when it has all.
 */
public record FileChunk(String job, long offset, byte[] data, long size) {
}
