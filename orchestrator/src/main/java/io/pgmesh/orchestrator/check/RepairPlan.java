package io.pgmesh.orchestrator.check;

import io.pgmesh.orchestrator.conflict.ConflictRules;
import io.pgmesh.orchestrator.conflict.RowExplainer;
import io.pgmesh.orchestrator.conflict.Version;
import io.pgmesh.protocol.RowState;
import io.pgmesh.protocol.RowVersion;
import io.pgmesh.protocol.Tombstone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides a repair from the nodes' states of some keys: per key, the conflict rules pick the winner
 * from every node's version and every delete of the key known anywhere; each node that does not hold
 * the winner (or lacks one of the deletes) gets the key's target state. Pure: asks nothing, changes nothing.
 */
public final class RepairPlan {

    /**
     * @param fixes       per node, the target states of the keys it must change (nodes with nothing to change left out)
     * @param undecidable keys whose nodes hold the same version with different values: no rule can pick one
     */
    public record Plan(Map<String, List<RowState>> fixes, List<Long> undecidable) {
        public int rowsToChange() {
            return fixes.values().stream().mapToInt(List::size).sum();
        }
    }

    private RepairPlan() {
    }

    /**
     * @param statesByNode per node, its states of the same keys (as rowStates answered, any order)
     */
    public static Plan plan(Map<String, List<RowState>> statesByNode) {
        Map<Long, Map<String, RowState>> byKey = new LinkedHashMap<>();
        statesByNode.forEach((node, states) -> states.forEach(s ->
                byKey.computeIfAbsent(s.id(), k -> new LinkedHashMap<>()).put(node, s)));
        Map<String, List<RowState>> fixes = new LinkedHashMap<>();
        TreeSet<Long> undecidable = new TreeSet<>();
        byKey.forEach((id, nodes) -> {
            if (nodes.size() != statesByNode.size()) {
                throw new IllegalArgumentException("key " + id + " was read on " + nodes.keySet() + " only, not on every node "
                        + statesByNode.keySet());
            }
            if (sameVersionDifferentValues(nodes.values())) {
                undecidable.add(id);
                return;
            }
            RowState target = target(id, nodes.values());
            nodes.forEach((node, state) -> {
                if (!holds(state, target)) {
                    fixes.computeIfAbsent(node, k -> new ArrayList<>()).add(target);
                }
            });
        });
        return new Plan(fixes, List.copyOf(undecidable));
    }

    /** The state every node must reach: the rules' winner (or no row) and the union of the key's deletes. */
    static RowState target(long id, java.util.Collection<RowState> states) {
        List<Version> versions = states.stream().map(RowState::row).filter(Objects::nonNull)
                .map(RowExplainer::version).toList();
        LinkedHashSet<Tombstone> tombstones = new LinkedHashSet<>();
        states.forEach(s -> tombstones.addAll(s.tombstones()));
        List<Instant> deletes = tombstones.stream().map(t -> Instant.parse(t.deletedTs())).toList();
        Optional<Version> winner = ConflictRules.outcome(versions, deletes).winner();
        RowVersion row = winner.flatMap(w -> states.stream().map(RowState::row).filter(Objects::nonNull)
                .filter(r -> RowExplainer.version(r).equals(w)).findFirst()).orElse(null);
        return new RowState(id, row, List.copyOf(tombstones));
    }

    /** Whether a node's state already is the target: the same version (or both absent) and every delete. */
    static boolean holds(RowState state, RowState target) {
        boolean rowRight = target.row() == null ? state.row() == null
                : state.row() != null && RowExplainer.version(state.row()).equals(RowExplainer.version(target.row()));
        return rowRight && state.tombstones().containsAll(target.tombstones());
    }

    private static boolean sameVersionDifferentValues(java.util.Collection<RowState> states) {
        Map<Version, Map<String, String>> valuesByVersion = new LinkedHashMap<>();
        for (RowState s : states) {
            if (s.row() == null) {
                continue;
            }
            Map<String, String> values = valuesByVersion.putIfAbsent(RowExplainer.version(s.row()), s.row().values());
            if (values != null && !values.equals(s.row().values())) {
                return true;
            }
        }
        return false;
    }
}
