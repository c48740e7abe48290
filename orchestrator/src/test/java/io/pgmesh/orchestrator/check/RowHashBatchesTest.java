package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.TableDigest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RowHashBatchesTest {

    private static TableDigest digest(String node, long rowsPerBucket, int buckets) {
        List<BucketDigest> digests = IntStream.range(0, buckets)
                .mapToObj(b -> new BucketDigest(b, rowsPerBucket, "1")).toList();
        return new TableDigest(node, "table1", rowsPerBucket * buckets, "1", digests, null);
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void smallBucketsGoAtTheDaemonsLimitPerCall() {
        // 100,000 rows in 4096 buckets: about 24 rows per bucket
        List<List<Integer>> batches = RowHashBatches.of(List.of(digest("node0", 24, 4096)), range(4096));
        assertThat(batches).hasSize(16).allSatisfy(b -> assertThat(b).hasSize(RowHashBatches.MAX_BUCKETS));
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyElementsOf(range(4096));
    }

    @Test
    void largeBucketsAreBoundByRowsUsingTheLargestNodesCount() {
        // 1,000,000 rows: about 244 per bucket on node1, fewer on node0
        List<List<Integer>> batches = RowHashBatches.of(List.of(digest("node0", 10, 4096), digest("node1", 244, 4096)),
                range(1000));
        assertThat(batches.get(0)).hasSize(81); // 81 * 244 = 19,764 <= 20,000 < 82 * 244
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1000);
    }

    @Test
    void aBucketLargerThanTheRowBoundIsACallOfItsOwn() {
        List<List<Integer>> batches = RowHashBatches.of(List.of(digest("node0", 50_000, 3)), range(3));
        assertThat(batches).containsExactly(List.of(0), List.of(1), List.of(2));
    }

    @Test
    void aBucketNoNodeReportedCostsNothing() {
        assertThat(RowHashBatches.of(List.of(digest("node0", 1, 0)), range(300)))
                .extracting(List::size).containsExactly(256, 44);
        assertThat(RowHashBatches.of(List.of(), List.of())).isEmpty();
    }
}
