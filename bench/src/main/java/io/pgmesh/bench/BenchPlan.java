package io.pgmesh.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a run measures and how often. {@link #full()} is the published bench ({@code bench/run}); {@link #smoke()}
 * is the small run in {@code mvn verify} (BenchSmokeIT) that keeps the bench from rotting.
 *
 * @param namePrefix        prefix of every cluster and container name the run creates
 * @param subnetBase        third octet of the first of the run's six subnets 172.28.X.0/24
 * @param upSizes           node counts of the bring-up comparison
 * @param upReps            repetitions of each (variants interleaved, order rotated per repetition)
 * @param floorSamples      bare containers timed
 * @param latencyNodes      mesh sizes of the latency measurement
 * @param latencySamples    samples per size, idle and again under load
 * @param throughputNodes   mesh size compared with plain PostgreSQL
 * @param throughputRound   length of one throughput round
 * @param throughputRounds  rounds per target and concurrency (targets interleaved)
 * @param concurrency       insert-suite clients running at once through the one pool
 * @param rpcCalls          timed status calls (and as many transport-only calls)
 * @param addNodeRows       existing rows of each add-node run (a fresh cluster each)
 * @param addNodeClusterSize nodes before add-node
 * @param underLoadRows     seeded rows of each size of section 7 (check, repair and add-node under load; a fresh
 *                          cluster each)
 * @param underLoadNodes    nodes of those clusters (add-node adds one and the bench removes it again)
 * @param backupRows        rows of section 8 (backup and restore next to pg_dump and pg_restore)
 * @param underLoadReps     timed runs of each operation in each condition (conditions interleaved, order rotated)
 * @param writerWarmUp      how long a writer runs before the timed operation starts
 */
record BenchPlan(String mode, String namePrefix, int subnetBase, List<Integer> upSizes, int upReps,
                 int floorSamples, List<Integer> latencyNodes, int latencySamples, int throughputNodes,
                 Duration throughputRound, int throughputRounds, List<Integer> concurrency, int rpcCalls,
                 List<Long> addNodeRows, int addNodeClusterSize, List<Long> underLoadRows, int underLoadNodes,
                 int underLoadReps, Duration writerWarmUp, long backupRows) {

    /**
     * Subnets 172.28.160-179.0/24 belong to the bench; the full run uses 160-165, the smoke run 170-175. Offsets: 0
     * bring-up, 1 baseline script and floor, 2 latency/throughput mesh, 3 single node, 4 plain PostgreSQL, 5 add-node
     * (section 6) and, after it is down, section 7's clusters (cluster role "load").
     */
    static BenchPlan full() {
        return new BenchPlan("full", "pgmesh-bench-", 160, List.of(2, 4, 8), 3, 10, List.of(3, 8), 400, 3,
                Duration.ofSeconds(15), 3, List.of(1, 8), 2000, List.of(10_000L, 100_000L, 1_000_000L), 3,
                // one run per operation and condition in section 7: an add-node beside a full-speed writer took
                // about 290 s at 100,000 rows in a partial run (the new node's apply catching up with the writer)
                List.of(100_000L, 1_000_000L), 3, 1, Duration.ofSeconds(2), 1_000_000L);
    }

    static BenchPlan smoke() {
        return new BenchPlan("smoke", "pgmesh-bench-smoke-", 170, List.of(2), 1, 2, List.of(2), 15, 2,
                Duration.ofSeconds(2), 1, List.of(1), 50, List.of(1_000L), 2,
                List.of(2_000L), 2, 1, Duration.ofMillis(500), 2_000L);
    }

    int subnet(int offset) {
        if (offset < 0 || offset > 5) {
            throw new IllegalArgumentException("subnet offset " + offset);
        }
        return subnetBase + offset;
    }
}
