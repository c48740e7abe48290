package io.pgmesh.orchestrator.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a suite's operations did: per group and node counts, latencies, errors and retries. Thread-safe. */
public final class OperationStats {

    /** Error messages kept for the report; the rest are only counted. */
    static final int ERRORS_KEPT = 10;

    private final Map<String, Map<String, LongAdder>> served = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

    void succeeded(String group, String node, long nanos) {
        served.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).computeIfAbsent(node, n -> new LongAdder())
                .increment();
        latencies.computeIfAbsent(group, g -> new ConcurrentLinkedQueue<>()).add(nanos);
    }

    void failed(String group, String node, String message) {
        errors.incrementAndGet();
        if (firstErrors.size() < ERRORS_KEPT) {
            firstErrors.add(group + "@" + node + ": " + message);
        }
    }

    void retried() {
        retries.incrementAndGet();
    }

    public long errors() {
        return errors.get();
    }

    public long retries() {
        return retries.get();
    }

    public List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    /** Successful operations per group, per node (sorted). */
    public Map<String, Map<String, Long>> servedPerNode() {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        served.forEach((group, nodes) -> {
            Map<String, Long> counts = new TreeMap<>();
            nodes.forEach((node, n) -> counts.put(node, n.sum()));
            result.put(group, counts);
        });
        return result;
    }

    public long succeeded() {
        return served.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
    }

    /** Latency percentile of a group's successful operations, in microseconds (nearest rank). */
    public long percentileMicros(String group, double percentile) {
        ConcurrentLinkedQueue<Long> queue = latencies.get(group);
        if (queue == null || queue.isEmpty()) {
            return 0;
        }
        long[] sorted = queue.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000;
    }

    public List<String> groups() {
        return new ArrayList<>(new TreeMap<>(served).keySet());
    }
}
