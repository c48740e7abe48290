package io.pgmesh.orchestrator.check;

import io.pgmesh.protocol.BucketDigest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.TableDigest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the nodes' digests of a table and, from per-row hashes, says which ids differ on which
 * node. Pure functions.
 */
public final class Divergence {

    /** How a node's row differs from the version most nodes hold. */
    public enum Kind { MISSING, DIFFERENT, ONLY_HERE }

    /** One differing row on one node. */
    public record RowDifference(long id, Kind kind) {
        @Override
        public String toString() {
            return id + switch (kind) {
                case MISSING -> " (missing)";
                case DIFFERENT -> " (different)";
                case ONLY_HERE -> " (only here)";
            };
        }
    }

    private Divergence() {
    }

    /** Whether every node reports the same row count and checksum. */
    public static boolean identical(List<TableDigest> digests) {
        return digests.stream().map(d -> d.rows() + "/" + d.checksum()).distinct().count() <= 1;
    }

    /** Buckets whose row count or checksum is not the same on every node (a bucket absent on a node counts). */
    public static Set<Integer> differingBuckets(List<TableDigest> digests) {
        Map<Integer, Set<String>> versions = new HashMap<>();
        Set<Integer> all = new TreeSet<>();
        for (TableDigest d : digests) {
            d.buckets().forEach(b -> all.add(b.bucket()));
        }
        for (TableDigest d : digests) {
            Map<Integer, BucketDigest> byBucket = new HashMap<>();
            d.buckets().forEach(b -> byBucket.put(b.bucket(), b));
            for (int bucket : all) {
                BucketDigest b = byBucket.get(bucket);
                versions.computeIfAbsent(bucket, k -> new java.util.HashSet<>())
                        .add(b == null ? "absent" : b.rows() + "/" + b.checksum());
            }
        }
        Set<Integer> differing = new TreeSet<>();
        versions.forEach((bucket, v) -> {
            if (v.size() > 1) {
                differing.add(bucket);
            }
        });
        return differing;
    }

    /**
     * Per node, the ids whose version on that node is not the version most nodes hold (absence
     * counts as a version). With a tie, every tied side is reported.
     */
    public static Map<String, List<RowDifference>> rowDifferences(List<RowHashes> perNode) {
        return rowDifferences(perNode, Set.of());
    }

    /** As {@link #rowDifferences(List)}, leaving out the keys in {@code leftOut} (changes still in flight). */
    public static Map<String, List<RowDifference>> rowDifferences(List<RowHashes> perNode, Set<Long> leftOut) {
        Map<Long, Map<String, String>> versions = new TreeMap<>();
        for (RowHashes node : perNode) {
            for (RowHashes.RowHash row : node.rows()) {
                if (leftOut.contains(row.id())) {
                    continue;
                }
                versions.computeIfAbsent(row.id(), k -> new HashMap<>()).put(node.node(), row.hash());
            }
        }
        Map<String, List<RowDifference>> result = new TreeMap<>();
        perNode.forEach(n -> result.put(n.node(), new ArrayList<>()));
        versions.forEach((id, byNode) -> {
            Map<String, Integer> votes = new HashMap<>();
            for (RowHashes node : perNode) {
                votes.merge(Objects.toString(byNode.get(node.node()), "absent"), 1, Integer::sum);
            }
            int best = votes.values().stream().max(Integer::compare).orElse(0);
            for (RowHashes node : perNode) {
                String version = Objects.toString(byNode.get(node.node()), "absent");
                if (votes.get(version) == best && votes.values().stream().filter(v -> v == best).count() == 1) {
                    continue;
                }
                Kind kind = version.equals("absent") ? Kind.MISSING
                        : votes.getOrDefault("absent", 0) == best ? Kind.ONLY_HERE : Kind.DIFFERENT;
                result.get(node.node()).add(new RowDifference(id, kind));
            }
        });
        return result;
    }
}
