package io.pgmesh.protocol;

/** Rows and checksum of one bucket of a {@link TableDigest}; buckets without rows are omitted. */
public record BucketDigest(int bucket, long rows, String checksum) {
}
