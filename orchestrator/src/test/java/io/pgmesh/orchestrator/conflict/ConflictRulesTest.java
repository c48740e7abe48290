package io.pgmesh.orchestrator.conflict;

import io.pgmesh.protocol.ConflictKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One test per rule; the nodes' triggers implement the same rules (ConflictRulesIT proves it on PostgreSQL). */
class ConflictRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-24T22:00:00.000000Z");

    private static Instant at(long micros) {
        return T0.plusNanos(micros * 1000);
    }

    private static Version v(long created, long modified, int by) {
        return new Version(at(created), at(modified), by);
    }

    @Test
    void updateVsUpdateTheNewerModifiedTsWins() {
        Version local = v(0, 100, 2);
        assertThat(ConflictRules.updateApplies(local, v(0, 101, 0))).isTrue();
        assertThat(ConflictRules.updateApplies(local, v(0, 99, 7))).isFalse();
        var outcome = ConflictRules.outcome(List.of(local, v(0, 101, 0)), List.of());
        assertThat(outcome.winner()).contains(v(0, 101, 0));
        assertThat(outcome.decidedBy()).contains(ConflictKind.UPDATE_UPDATE);
    }

    @Test
    void tiesAreBrokenByTheHigherNodeIndexTheSameOnEveryNode() {
        Version byNode1 = v(0, 100, 1);
        Version byNode2 = v(0, 100, 2);
        assertThat(ConflictRules.updateApplies(byNode1, byNode2)).isTrue();
        assertThat(ConflictRules.updateApplies(byNode2, byNode1)).isFalse();
        assertThat(ConflictRules.updateApplies(byNode2, byNode2)).as("the same version again").isFalse();
        assertThat(ConflictRules.outcome(List.of(byNode2, byNode1), List.of()).winner()).contains(byNode2);
        assertThat(ConflictRules.outcome(List.of(byNode1, byNode2), List.of()).winner()).contains(byNode2);
    }

    @Test
    void insertVsInsertOfTheSameKeyTheNewerVersionWins() {
        var outcome = ConflictRules.outcome(List.of(v(50, 50, 0), v(60, 60, 1)), List.of());
        assertThat(outcome.winner()).contains(v(60, 60, 1));
        assertThat(outcome.decidedBy()).contains(ConflictKind.INSERT_INSERT);
    }

    @Test
    void deleteWinsOverAConcurrentUpdateEvenANewerOne() {
        Version updatedAfterTheDelete = v(0, 300, 1);
        assertThat(ConflictRules.deleteRemoves(updatedAfterTheDelete, at(200))).isTrue();
        var outcome = ConflictRules.outcome(List.of(v(0, 100, 0), updatedAfterTheDelete), List.of(at(200)));
        assertThat(outcome.deleted()).isTrue();
        assertThat(outcome.decidedBy()).contains(ConflictKind.DELETE_UPDATE);
    }

    @Test
    void aRowInsertedAfterADeleteSurvivesIt() {
        Version reinserted = v(250, 250, 1);
        assertThat(ConflictRules.deleteRemoves(reinserted, at(200))).isFalse();
        assertThat(ConflictRules.insertSurvivesDelete(reinserted, at(200))).isTrue();
        var outcome = ConflictRules.outcome(List.of(v(0, 100, 0), reinserted), List.of(at(200)));
        assertThat(outcome.winner()).contains(reinserted);
        assertThat(outcome.decidedBy()).contains(ConflictKind.DELETE_REINSERT);
    }

    @Test
    void anInsertMadeBeforeADeleteDoesNotComeBack() {
        Version insertedBefore = v(150, 150, 2);
        assertThat(ConflictRules.insertSurvivesDelete(insertedBefore, at(200))).isFalse();
        assertThat(ConflictRules.insertSurvivesDelete(v(200, 200, 2), at(200))).as("same instant: delete wins").isFalse();
        var outcome = ConflictRules.outcome(List.of(insertedBefore), List.of(at(200)));
        assertThat(outcome.deleted()).isTrue();
        assertThat(outcome.decidedBy()).contains(ConflictKind.INSERT_DELETED);
    }

    @Test
    void onlyTheNewestDeleteCounts() {
        Version between = v(150, 150, 0);
        var outcome = ConflictRules.outcome(List.of(between), List.of(at(100), at(200)));
        assertThat(outcome.deleted()).isTrue();
        assertThat(ConflictRules.outcome(List.of(v(250, 250, 0)), List.of(at(100), at(200))).winner())
                .contains(v(250, 250, 0));
    }

    @Test
    void aSingleVersionIsNoConflict() {
        var outcome = ConflictRules.outcome(List.of(v(0, 1, 0), v(0, 1, 0)), List.of());
        assertThat(outcome.winner()).contains(v(0, 1, 0));
        assertThat(outcome.decidedBy()).isEmpty();
        assertThat(ConflictRules.outcome(List.of(), List.of()).decidedBy()).isEmpty();
    }

    @Test
    void theOutcomeDoesNotDependOnTheOrderVersionsArrive() {
        List<Version> versions = List.of(v(0, 10, 0), v(0, 30, 1), v(0, 30, 2), v(40, 40, 0), v(5, 50, 1));
        List<Instant> deletes = List.of(at(35));
        var expected = ConflictRules.outcome(versions, deletes);
        for (int shift = 1; shift < versions.size(); shift++) {
            List<Version> rotated = new java.util.ArrayList<>(versions.subList(shift, versions.size()));
            rotated.addAll(versions.subList(0, shift));
            assertThat(ConflictRules.outcome(rotated, deletes)).isEqualTo(expected);
        }
        assertThat(expected.winner()).contains(v(40, 40, 0));
    }
}
