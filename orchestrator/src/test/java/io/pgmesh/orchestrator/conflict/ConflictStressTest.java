package io.pgmesh.orchestrator.conflict;

import io.pgmesh.orchestrator.cluster.UsageException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConflictStressTest {

    @Test
    void onlyDeadlocksAndSerializationFailuresAreRetried() {
        assertThat(ConflictStress.isRetryable(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(ConflictStress.isRetryable(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(ConflictStress.isRetryable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ConflictStress.isRetryable(new SQLException("connection refused", "08001"))).isFalse();
    }

    @Test
    void optionsOutOfBoundsAreUsageErrorsNamingTheOption() {
        assertUsage(() -> new ConflictStress.Options(1, Duration.ofSeconds(5), 3, 10, 1), "--threads",
                "must be >= 2 to conflict, got 1");
        assertUsage(() -> new ConflictStress.Options(3, Duration.ofSeconds(5), 0, 10, 1), "--rows",
                "must be in 1..1000, got 0");
        assertUsage(() -> new ConflictStress.Options(3, Duration.ofSeconds(5), 1001, 10, 1), "--rows",
                "must be in 1..1000, got 1001");
        assertUsage(() -> new ConflictStress.Options(3, Duration.ofHours(2), 3, 10, 1), "--seconds",
                "must be in 1..3600, got 7200");
        assertUsage(() -> new ConflictStress.Options(3, Duration.ZERO, 3, 10, 1), "--seconds",
                "must be in 1..3600, got 0");
    }

    @Test
    void aBoundNoUserSetIsAProgrammingErrorNotAUsageError() {
        assertThatThrownBy(() -> new ConflictStress.Options(3, Duration.ofSeconds(5), 3, 0, 1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("max operations per thread must be >= 1");
    }

    private static void assertUsage(ThrowingCallable call, String argument, String problem) {
        UsageException e = catchThrowableOfType(UsageException.class, call);
        assertThat(e).as(argument).isNotNull();
        assertThat(e.argument()).isEqualTo(argument);
        assertThat(e.problem()).isEqualTo(problem);
    }
}
