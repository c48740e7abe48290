package io.pgmesh.protocol;

/**
 * Bytes of a job's file, sent in order: {@code offset} is where they go. Sending a chunk again that the node already
 * has changes nothing; a gap is refused. Base64 on the wire (Jackson's byte[]); at most
 * {@link TransferJob#MAX_CHUNK_BYTES}.
 */
public record ChunkWrite(String job, long offset, byte[] data) {
}
