package io.pgmesh.protocol;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which changes count as settled, per origin node: a row version (or a delete) written by node
 * {@code origin} is settled when it was stamped before that origin's {@code before}. Changes of an
 * origin not listed (a removed node, whose changes were drained before it left) are all settled.
 *
 * <p>A check compares settled changes only: once every node's {@link ChangeHorizon} was read and
 * replication drained past the WAL positions read after it, every settled change is on every node,
 * so a settled difference is a real one, while an unsettled row may simply still be in flight.
 */
public record SettledCutoffs(List<OriginCutoff> origins) {

    /** Most origins one request may list. */
    public static final int MAX_ORIGINS = 1024;

    public SettledCutoffs {
        origins = origins == null ? List.of()
                : origins.stream().sorted(Comparator.comparingInt(OriginCutoff::origin)).toList();
    }

    /** One origin's cutoff: changes it stamped at or after {@code before} (ISO-8601) are unsettled. */
    public record OriginCutoff(int origin, String before) {
    }

    /** Cutoffs from the nodes' horizons. */
    public static SettledCutoffs of(List<ChangeHorizon> horizons) {
        return new SettledCutoffs(horizons.stream().map(h -> new OriginCutoff(h.nodeIndex(), h.horizon())).toList());
    }

    /** The cutoffs as instants by origin (sorted). Throws IllegalArgumentException on a malformed instant. */
    public Map<Integer, Instant> byOrigin() {
        Map<Integer, Instant> cutoffs = new TreeMap<>();
        for (OriginCutoff o : origins) {
            cutoffs.put(o.origin(), Instant.parse(o.before()));
        }
        return cutoffs;
    }
}
