package io.pgmesh.orchestrator.conflict;

import io.pgmesh.protocol.ConflictKind;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The conflict rules the nodes' triggers apply, stated once in Java: to explain a row's outcome
 * and to test the rules without a database. The nodes implement the same rules in plpgsql.
 *
 * <ul>
 *   <li>Update vs update, insert vs insert: the newer version wins ({@link Version} order).</li>
 *   <li>Delete vs concurrent update: the delete wins; it removes the row it deleted.</li>
 *   <li>Delete vs re-insert: a row inserted after the delete (created later) survives it; an
 *       insert made before a delete does not come back.</li>
 * </ul>
 */
public final class ConflictRules {

    /** The outcome for one key: the surviving version (empty: deleted) and the rule that decided. */
    public record Outcome(Optional<Version> winner, Optional<ConflictKind> decidedBy) {
        public boolean deleted() {
            return winner.isEmpty();
        }
    }

    private ConflictRules() {
    }

    /** Whether an incoming update replaces the local version (rule: newer wins). */
    public static boolean updateApplies(Version local, Version incoming) {
        return incoming.isNewerThan(local);
    }

    /** Whether an incoming insert survives the key's newest known delete (made at {@code deletedTs}). */
    public static boolean insertSurvivesDelete(Version incoming, Instant deletedTs) {
        return incoming.createdTs().isAfter(deletedTs);
    }

    /** Whether an incoming delete (made at {@code deletedTs}) removes the local row. */
    public static boolean deleteRemoves(Version local, Instant deletedTs) {
        return !local.createdTs().isAfter(deletedTs);
    }

    /**
     * The converged outcome for a key, given every version written anywhere and every delete:
     * the versions created after the newest delete survive and the newest of them wins.
     */
    public static Outcome outcome(Collection<Version> versions, Collection<Instant> deletes) {
        Optional<Instant> lastDelete = deletes.stream().max(Comparator.naturalOrder());
        List<Version> distinct = versions.stream().filter(Objects::nonNull).distinct().toList();
        List<Version> survivors = distinct.stream()
                .filter(v -> lastDelete.map(d -> insertSurvivesDelete(v, d)).orElse(true)).toList();
        Optional<Version> winner = survivors.stream().max(Comparator.naturalOrder());
        Optional<ConflictKind> rule;
        if (winner.isEmpty()) {
            rule = distinct.isEmpty() ? Optional.empty()
                    : Optional.of(distinct.stream().anyMatch(v -> lastDelete.get().isBefore(v.modifiedTs()))
                    ? ConflictKind.DELETE_UPDATE : ConflictKind.INSERT_DELETED);
        } else if (survivors.size() < distinct.size()) {
            rule = Optional.of(ConflictKind.DELETE_REINSERT);
        } else if (survivors.size() > 1) {
            boolean sameIncarnation = survivors.stream().map(Version::createdTs).distinct().count() == 1;
            rule = Optional.of(sameIncarnation ? ConflictKind.UPDATE_UPDATE : ConflictKind.INSERT_INSERT);
        } else {
            rule = Optional.empty();
        }
        return new Outcome(winner, rule);
    }
}
