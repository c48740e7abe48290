package io.pgmesh.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplesTest {

    @Test
    void percentilesByNearestRank() {
        List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(Samples.percentile(v, 50)).isEqualTo(5.0);
        assertThat(Samples.percentile(v, 99)).isEqualTo(10.0);
        assertThat(Samples.percentile(v, 10)).isEqualTo(1.0);
        assertThat(Samples.percentile(v, 100)).isEqualTo(10.0);
        assertThat(Samples.percentile(List.of(), 50)).isNaN();
        assertThatThrownBy(() -> Samples.percentile(v, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void median() {
        assertThat(Samples.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Samples.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Samples.median(List.of())).isNaN();
    }

    @Test
    void loadAverage() {
        Load l = Load.parse("3.69 3.35 4.55 2/247 31112\n");
        assertThat(l.one()).isEqualTo(3.69);
        assertThat(l.fifteen()).isEqualTo(4.55);
        assertThat(l.oneMinute()).isEqualTo("3.69");
    }
}
