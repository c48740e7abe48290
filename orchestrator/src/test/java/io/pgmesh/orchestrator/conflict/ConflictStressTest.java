package io.pgmesh.orchestrator.conflict;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConflictStressTest {

    @Test
    void onlyDeadlocksAndSerializationFailuresAreRetried() {
        assertThat(ConflictStress.isRetryable(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(ConflictStress.isRetryable(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(ConflictStress.isRetryable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ConflictStress.isRetryable(new SQLException("connection refused", "08001"))).isFalse();
    }

    @Test
    void optionsAreBoundedAndNamed() {
        assertThatThrownBy(() -> new ConflictStress.Options(1, Duration.ofSeconds(5), 3, 10, 1))
                .hasMessageContaining("--threads");
        assertThatThrownBy(() -> new ConflictStress.Options(3, Duration.ofSeconds(5), 0, 10, 1))
                .hasMessageContaining("--rows");
        assertThatThrownBy(() -> new ConflictStress.Options(3, Duration.ofHours(2), 3, 10, 1))
                .hasMessageContaining("--seconds");
    }
}
