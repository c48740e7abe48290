package io.pgmesh.orchestrator.suite;

import io.pgmesh.orchestrator.cluster.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SuiteOptionsTest {

    @Test
    void aScaleBelowOneIsAUsageErrorNamingTheOption() {
        UsageException e = catchThrowableOfType(UsageException.class, () -> new SuiteOptions(0, true));
        assertThat(e.argument()).isEqualTo("--scale");
        assertThat(e.getMessage()).isEqualTo("--scale: must be >= 1, got 0");
    }

    @Test
    void theScaleMultipliesEveryCount() {
        assertThat(new SuiteOptions(3, false).times(7)).isEqualTo(21);
    }
}
