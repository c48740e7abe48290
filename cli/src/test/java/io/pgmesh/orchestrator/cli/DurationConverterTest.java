package io.pgmesh.orchestrator.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @Test
    void aNumberWithAUnit() {
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationConverter.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(DurationConverter.parse(" 7d ")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationConverter.parse("0s")).isZero();
    }

    @Test
    void isoEightySixOhOne() {
        assertThat(DurationConverter.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void anythingElseIsRefusedWithTheFormats() {
        for (String bad : new String[]{"", "yesterday", "-5m", "5", "5w", "1.5h", "PT-1H", "9999999999s"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("'" + bad + "' is not a duration").hasMessageContaining("24h");
        }
    }
}
