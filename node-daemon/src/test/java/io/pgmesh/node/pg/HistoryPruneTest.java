package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statements that prune conflict history, and how open transactions are reported. */
class HistoryPruneTest {

    @Test
    void tombstonesGoByTheTimeOfTheirDelete() {
        assertThat(HistoryPrune.deleteTombstones("table1"))
                .isEqualTo("DELETE FROM \"public\".\"pgmesh_tombstones_table1\" WHERE ctid IN (SELECT ctid FROM"
                        + " \"public\".\"pgmesh_tombstones_table1\" WHERE \"deleted_ts\" < ? LIMIT 10000)");
    }

    @Test
    void shadowsGoByTheirVersionAndTheConflictLogByWhenItWasResolved() {
        assertThat(HistoryPrune.deleteShadows("table1")).startsWith("DELETE FROM \"public\".\"pgmesh_shadows_table1\"")
                .endsWith("WHERE \"modified_ts\" < ? LIMIT 10000)");
        assertThat(HistoryPrune.deleteConflicts()).startsWith("DELETE FROM \"public\".\"pgmesh_conflicts\"")
                .endsWith("WHERE \"resolved_at\" < ? LIMIT 10000)");
    }

    @Test
    void whatWasPrunedIsCountedInWords() {
        assertThat(HistoryPrune.pruned(1, "tombstone", "tombstones")).isEqualTo("pruned 1 tombstone");
        assertThat(HistoryPrune.pruned(12, "conflict-log entry", "conflict-log entries"))
                .isEqualTo("pruned 12 conflict-log entries");
    }

    @Test
    void aTableNameIsQuotedAfterValidation() {
        assertThatThrownBy(() -> HistoryPrune.deleteTombstones("t\"; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openTransactionsAreListedOldestFirstLeavingOutWorkersAndTheAskingSession() {
        assertThat(OpenTransactions.QUERY).contains("backend_type = 'client backend'")
                .contains("pid <> pg_catalog.pg_backend_pid()").contains("xact_start < ?")
                .endsWith("ORDER BY xact_start, pid");
    }

    @Test
    void anOpenTransactionIsDescribedWithPidUserApplicationAndStart() {
        OffsetDateTime started = OffsetDateTime.of(2026, 11, 25, 3, 0, 1, 0, ZoneOffset.UTC);
        assertThat(OpenTransactions.describe(4711, "testwriter", "PostgreSQL JDBC Driver", "idle in transaction", started))
                .isEqualTo("pid 4711 (testwriter, application 'PostgreSQL JDBC Driver', idle in transaction)"
                        + " open since 2026-11-25T03:00:01Z");
        assertThat(OpenTransactions.describe(12, "admin", "", "active", started))
                .isEqualTo("pid 12 (admin, active) open since 2026-11-25T03:00:01Z");
    }
}
