package io.pgmesh.orchestrator.suite;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OperationStatsTest {

    @Test
    void countsPerGroupAndNodeAndComputesNearestRankPercentiles() {
        OperationStats stats = new OperationStats();
        for (int i = 1; i <= 100; i++) {
            stats.succeeded("writer1", "node" + (i % 3), i * 1_000_000L);
        }
        stats.succeeded("reader1", "node0", 5_000L);
        assertThat(stats.servedPerNode()).isEqualTo(Map.of(
                "writer1", Map.of("node0", 33L, "node1", 34L, "node2", 33L),
                "reader1", Map.of("node0", 1L)));
        assertThat(stats.succeeded()).isEqualTo(101);
        assertThat(stats.percentileMicros("writer1", 50)).isEqualTo(50_000);
        assertThat(stats.percentileMicros("writer1", 95)).isEqualTo(95_000);
        assertThat(stats.percentileMicros("writer1", 99)).isEqualTo(99_000);
        assertThat(stats.percentileMicros("reader1", 99)).isEqualTo(5);
        assertThat(stats.percentileMicros("nobody", 50)).isZero();
    }

    @Test
    void keepsOnlyTheFirstErrorsButCountsAll() {
        OperationStats stats = new OperationStats();
        for (int i = 0; i < 25; i++) {
            stats.failed("writer2", "node1", "boom " + i);
        }
        assertThat(stats.errors()).isEqualTo(25);
        assertThat(stats.firstErrors()).hasSize(OperationStats.ERRORS_KEPT).first().isEqualTo("writer2@node1: boom 0");
    }
}
