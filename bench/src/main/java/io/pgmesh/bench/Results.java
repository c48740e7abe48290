package io.pgmesh.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything one bench run measured; {@link Report} renders it, {@link Plots} draws it. */
record Results(String mode, Machine machine, Instant started, Duration elapsed, Load loadAtStart, Load loadAtEnd,
               BringUp bringUp, Floor floor, List<LatencySeries> latency, Duration throughputRound,
               List<ThroughputRound> throughput,
               List<ControlPlane> controlPlane, List<AddNodeRun> addNode, List<OpsRun> underLoad,
               List<Injection> injections) {

    static final String BASELINE = "baseline script";
    static final String PGMESH_CLI = "pgmesh up (CLI)";
    static final String PGMESH_IN_PROCESS = "pgmesh up (in-process)";
    static final String PGMESH_CONTAINERS_FIRST = "prototype: containers first, then up (in-process)";

    /** One timed bring-up of {@code nodes} nodes by one variant, and the 1-minute load just before it. */
    record BringUpRun(String variant, int nodes, int rep, double seconds, Load load) {
    }

    /**
     * @param runs             every timed bring-up, in the order they ran
     * @param pgmeshPhases     per node count: where the in-process {@code up} spent its time (median over reps)
     * @param baselinePhases   per node count: the same for the baseline script
     * @param daemonReady      seconds from container start to "daemon ready" of each node the in-process ups started
     */
    record BringUp(List<BringUpRun> runs, Map<Integer, Map<String, Double>> pgmeshPhases,
                   Map<Integer, Map<String, Double>> baselinePhases, List<Double> daemonReady) {

        List<Integer> sizes() {
            return runs.stream().map(BringUpRun::nodes).distinct().sorted().toList();
        }

        List<String> variants() {
            return runs.stream().map(BringUpRun::variant).distinct().toList();
        }

        List<Double> seconds(String variant, int nodes) {
            return runs.stream().filter(r -> r.variant().equals(variant) && r.nodes() == nodes)
                    .map(BringUpRun::seconds).toList();
        }

        double median(String variant, int nodes) {
            return Samples.median(seconds(variant, nodes));
        }

        /** Median of the per-repetition ratios variant / baseline (runs of one repetition are back to back). */
        double pairedRatio(String variant, int nodes) {
            List<Double> ratios = runs.stream().filter(r -> r.variant().equals(variant) && r.nodes() == nodes)
                    .flatMap(r -> runs.stream().filter(b -> b.variant().equals(BASELINE) && b.nodes() == nodes
                            && b.rep() == r.rep()).map(b -> r.seconds() / b.seconds()))
                    .toList();
            return Samples.median(ratios);
        }
    }

    /** A bare node container (PostgreSQL only) from {@code docker run} to accepting connections. */
    record Floor(List<Double> seconds, Load load) {
    }

    /** Commit on one node to visible on all others, in milliseconds. */
    record LatencySeries(int nodes, boolean underLoad, List<Double> millis, int timeouts, long loadInserts,
                         double loadSeconds, Load load) {

        String label() {
            return nodes + " nodes, " + (underLoad ? "insert suite (load mode)" : "idle");
        }
    }

    /**
     * One timed round of the insert suite in load mode against one target.
     *
     * @param drainSeconds        for a mesh, how long after the round every node had applied every write (else 0)
     * @param containerCpuSeconds CPU time the target's containers used during the round and its drain
     * @param clientCpuSeconds    CPU time the bench JVM used during the round
     * @param cpuByKind           the containers' CPU seconds by kind of process ({@link ProcessCpu})
     */
    record ThroughputRound(String target, int concurrency, int round, long inserts, long errors, double seconds,
                           double drainSeconds, double containerCpuSeconds, double clientCpuSeconds,
                           Map<String, Double> cpuByKind, Load load) {

        double perSecond() {
            return inserts / seconds;
        }

        /** CPU milliseconds the target's containers used per 1,000 inserts (the round and its drain). */
        double containerCpuPerThousand() {
            return containerCpuSeconds * 1e6 / inserts;
        }

        /** CPU milliseconds the bench JVM (the clients and the pool) used per 1,000 inserts. */
        double clientCpuPerThousand() {
            return clientCpuSeconds * 1e6 / inserts;
        }
    }

    /**
     * JSON-RPC round trips from the orchestrator's client, in milliseconds, and what PostgreSQL itself costs
     * inside the container (pgbench over the local socket, as the daemon connects; averages in milliseconds).
     *
     * @param when                     when it was measured (on the fresh mesh, after the throughput rounds)
     * @param rows                     rows in the replicated table then (status counts them, up to 100,000)
     * @param pgConnectMillis          a new connection (pgbench -C, "average connection time")
     * @param statusSqlFreshMillis     a new connection and the status queries on it (pgbench -C -M extended)
     * @param statusSqlWarmMillis      the status queries on an open connection (-M extended)
     * @param statusSqlPreparedMillis  the status queries on an open connection, server-side prepared (-M prepared)
     */
    record ControlPlane(String when, long rows, String node, List<Double> statusMillis, List<Double> transportMillis,
                       double pgConnectMillis, double statusSqlFreshMillis, double statusSqlWarmMillis,
                       double statusSqlPreparedMillis, Load load) {
    }

    /** add-node against {@code rows} existing rows, as {@code pgmesh add-node} does it (join, then repair). */
    record AddNodeRun(long rows, int nodesBefore, double joinSeconds, double repairSeconds, double copySeconds,
                      long rowsOnNewNode, Load load) {

        double totalSeconds() {
            return joinSeconds + repairSeconds;
        }
    }

    /** Conditions of section 7, in the order of their columns. */
    static final String IDLE = "idle";
    static final String INSERT_WRITER = "beside an insert writer";
    static final String UPDATE_WRITER = "beside an update writer";
    static final List<String> CONDITIONS = List.of(IDLE, INSERT_WRITER, UPDATE_WRITER);
    /** Operations of section 7. */
    static final String CHECK = "check";
    static final String REPAIR = "repair";
    static final String ADD_NODE = "add-node";
    static final List<String> OPERATIONS = List.of(CHECK, REPAIR, ADD_NODE);

    /**
     * One timed check, repair or add-node of section 7 on a cluster of {@code nodes} nodes holding {@code rows} seeded
     * rows, in one condition.
     *
     * @param identical     check: what it said; repair: what its check afterwards said; add-node: what a check of the
     *                      join's window said after add-node's repair (untimed)
     * @param inFlight      rows the (last) check left out because a node held a change of them still in flight
     * @param rowsExamined  repair, add-node: rows that differed
     * @param rowsRepaired  repair, add-node: row versions applied
     * @param writerOps     the writer's statements during the timed operation (0 when idle)
     * @param writerErrors  the writer's failed statements during it
     * @param load          the 1-minute load just before it
     * @param writerRanOut  the writer reached its own time or statement bound before the operation ended (the rest of
     *                      the operation ran idle)
     * @param failure       why the operation failed (then {@code seconds} is the time until it failed), or null
     */
    record OpsRun(long rows, int nodes, String condition, String operation, int rep, double seconds,
                  boolean identical, int inFlight, int rowsExamined, int rowsRepaired, long writerOps,
                  long writerErrors, Load load, boolean writerRanOut, String failure) {

        boolean failed() {
            return failure != null;
        }
    }

    /**
     * A failure injected beside the update writer: one row changed on {@code node} behind replication's back (a local
     * update under a replication origin, so no peer receives it), then check and repair, timed.
     *
     * @param found           the ids the check reported as differing
     * @param identicalAfter  what repair's check afterwards said
     * @param writerOps       the update writer's statements during the check and the repair
     */
    record Injection(long rows, int nodes, String node, long id, double checkSeconds, List<Long> found,
                     int inFlight, double repairSeconds, int rowsExamined, int rowsRepaired, boolean identicalAfter,
                     long writerOps, Load load) {

        boolean foundExactly() {
            return found.equals(List.of(id));
        }

        boolean repaired() {
            return foundExactly() && rowsRepaired > 0 && identicalAfter;
        }
    }

    /** The sizes of section 7 (seeded rows), in the order they ran. */
    List<Long> underLoadSizes() {
        return underLoad.stream().map(OpsRun::rows).distinct().toList();
    }

    List<OpsRun> underLoad(long rows, String condition, String operation) {
        return underLoad.stream().filter(o -> o.rows() == rows && o.condition().equals(condition)
                && o.operation().equals(operation)).toList();
    }

    /** Median seconds of the runs of one operation in one condition that did not fail (NaN when none). */
    double underLoadMedian(long rows, String condition, String operation) {
        return Samples.median(underLoad(rows, condition, operation).stream().filter(o -> !o.failed())
                .map(OpsRun::seconds).toList());
    }

    /** Median under {@code condition} over median idle. */
    double underLoadRatio(long rows, String condition, String operation) {
        return underLoadMedian(rows, condition, operation) / underLoadMedian(rows, IDLE, operation);
    }

    /** The machine the run was on. */
    record Machine(String cpu, int cores, long memoryMiB, String os, String kernel, String docker, String java,
                   String postgres) {
    }
}
