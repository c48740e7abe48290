package io.pgmesh.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which SQLSTATEs say "the server went away" (the pool and the node daemon both go by this). */
class SqlStatesTest {

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "08007", "08P01"})
    void everyStateOfClass08IsAConnectionState(String state) {
        assertThat(SqlStates.isConnectionClass(state)).isTrue();
        assertThat(SqlStates.isServerStoppingOrStarting(state)).isFalse();
        assertThat(SqlStates.isConnectionState(state)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"57P01", "57P02", "57P03"})
    void aServerThatIsStoppingCrashingOrStartingIsAConnectionState(String state) {
        assertThat(SqlStates.isServerStoppingOrStarting(state)).isTrue();
        assertThat(SqlStates.isConnectionClass(state)).isFalse();
        assertThat(SqlStates.isConnectionState(state)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"57P04", "57P05", "57014", "57000", "23505", "40001", "40P01", "42501", "XX000", "8006",
            "00000", "57p01"})
    void otherStatesAreNot(String state) {
        assertThat(SqlStates.isConnectionClass(state)).isFalse();
        assertThat(SqlStates.isServerStoppingOrStarting(state)).isFalse();
        assertThat(SqlStates.isConnectionState(state)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void noStateIsNotAConnectionState(String state) {
        assertThat(SqlStates.isConnectionClass(state)).isFalse();
        assertThat(SqlStates.isServerStoppingOrStarting(state)).isFalse();
        assertThat(SqlStates.isConnectionState(state)).isFalse();
    }

    @Test
    void connectionFailureGoesByTheStateAndTheConnectionExceptionTypes() {
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "08001"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "08006"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "57P01"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "57P02"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "57P03"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLTransientConnectionException("timeout"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLNonTransientConnectionException("closed"))).isTrue();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "23505"))).isFalse();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "57014"))).isFalse();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x", "40001"))).isFalse();
        assertThat(SqlStates.isConnectionFailure(new SQLException("x"))).isFalse();
        assertThat(SqlStates.isConnectionFailure(new IOException("not SQL"))).isFalse();
    }

    @Test
    void connectionFailureLooksThroughCausesAndNextExceptions() {
        SQLException batch = new SQLException("batch", "XX000");
        batch.setNextException(new SQLException("io", "08006"));
        assertThat(SqlStates.isConnectionFailure(batch)).isTrue();
        assertThat(SqlStates.isConnectionFailure(new RuntimeException("wrapped",
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        RuntimeException loop = new RuntimeException("a");
        RuntimeException other = new RuntimeException("b", loop);
        loop.initCause(other);
        assertThat(SqlStates.isConnectionFailure(loop)).isFalse();
    }
}
