package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.TableDigest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the differing buckets of a table into rowHashes calls. Each call costs the node one scan of
 * the table, so calls are as few as the answers allow: at most {@value #MAX_BUCKETS} buckets (the
 * daemon's limit) and about {@value #MAX_ROWS} rows (by the largest count any node reported for a
 * bucket), so one answer stays small for the daemon's heap. Pure.
 */
final class RowHashBatches {

    /** Buckets per call: the daemon refuses more. */
    static final int MAX_BUCKETS = 256;
    /** Rows per answer, roughly (a bucket is never split, so one bucket larger than this is a call alone). */
    static final long MAX_ROWS = 20_000;

    private RowHashBatches() {
    }

    static List<List<Integer>> of(List<TableDigest> digests, Collection<Integer> buckets) {
        Map<Integer, Long> rows = new HashMap<>();
        for (TableDigest digest : digests) {
            for (BucketDigest b : digest.buckets()) {
                rows.merge(b.bucket(), b.rows(), Math::max);
            }
        }
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        long batchRows = 0;
        for (int bucket : buckets) {
            long bucketRows = rows.getOrDefault(bucket, 0L);
            if (!batch.isEmpty() && (batch.size() == MAX_BUCKETS || batchRows + bucketRows > MAX_ROWS)) {
                batches.add(List.copyOf(batch));
                batch.clear();
                batchRows = 0;
            }
            batch.add(bucket);
            batchRows += bucketRows;
        }
        if (!batch.isEmpty()) {
            batches.add(List.copyOf(batch));
        }
        return batches;
    }
}
