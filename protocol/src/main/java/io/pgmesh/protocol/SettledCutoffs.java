package io.pgmesh.protocol;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which changes a comparison looks at, per origin node. A row version (or a delete) written by node
 * {@code origin} is <em>settled</em> when it was stamped before that origin's {@code before}; it is
 * in the <em>window</em> when it was stamped at or after the origin's {@code since} (no {@code since}:
 * every change). Changes of an origin not listed (a removed node, whose changes were drained before
 * it left) are all settled and in the window.
 *
 * <p>A check compares settled changes only: once every node's {@link ChangeHorizon} was read and
 * replication drained past the WAL positions read after it, every settled change is on every node,
 * so a settled difference is a real one, while an unsettled row may simply still be in flight. A
 * window limits the comparison further to what changed since an instant (add-node compares what
 * changed while its node joined).
 */
public record SettledCutoffs(List<OriginCutoff> origins) {

    /** Most origins one request may list. */
    public static final int MAX_ORIGINS = 1024;

    public SettledCutoffs {
        origins = origins == null ? List.of()
                : origins.stream().sorted(Comparator.comparingInt(OriginCutoff::origin)).toList();
    }

    /**
     * One origin's cutoffs: changes it stamped at or after {@code before} (ISO-8601) are unsettled;
     * with {@code since} (ISO-8601, or null), changes it stamped before that are outside the window.
     */
    public record OriginCutoff(int origin, String before, String since) {
        public OriginCutoff(int origin, String before) {
            this(origin, before, null);
        }
    }

    /** Cutoffs from the nodes' horizons, every change in the window. */
    public static SettledCutoffs of(List<ChangeHorizon> horizons) {
        return new SettledCutoffs(horizons.stream().map(h -> new OriginCutoff(h.nodeIndex(), h.horizon())).toList());
    }

    /**
     * Cutoffs from the nodes' horizons, with a window from earlier horizons ({@code since}, by node index):
     * an origin without an earlier horizon has every change in the window.
     */
    public static SettledCutoffs of(List<ChangeHorizon> horizons, Map<Integer, String> since) {
        return new SettledCutoffs(horizons.stream()
                .map(h -> new OriginCutoff(h.nodeIndex(), h.horizon(), since.get(h.nodeIndex()))).toList());
    }

    /** The settled cutoffs as instants by origin (sorted). Throws on a malformed instant. */
    public Map<Integer, Instant> byOrigin() {
        Map<Integer, Instant> cutoffs = new TreeMap<>();
        for (OriginCutoff o : origins) {
            cutoffs.put(o.origin(), Instant.parse(o.before()));
        }
        return cutoffs;
    }

    /** The window starts as instants by origin (sorted), for the origins that have one. */
    public Map<Integer, Instant> since() {
        Map<Integer, Instant> since = new TreeMap<>();
        for (OriginCutoff o : origins) {
            if (o.since() != null) {
                since.put(o.origin(), Instant.parse(o.since()));
            }
        }
        return since;
    }
}
