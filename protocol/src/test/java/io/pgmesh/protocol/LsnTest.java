package io.pgmesh.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void parsesAndFormatsBothHalves() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.ZERO);
    }

    @Test
    void ordersNumericallyNotTextually() {
        assertThat(Lsn.parse("0/A0000000").isAtLeast(Lsn.parse("0/9FFFFFFF"))).isTrue();
        assertThat(Lsn.parse("1/0").isAtLeast(Lsn.parse("0/FFFFFFFF"))).isTrue();
        assertThat(Lsn.parse("0/FFFFFFFF").isAtLeast(Lsn.parse("1/0"))).isFalse();
        assertThat(Lsn.parse("FFFFFFFF/0").compareTo(Lsn.parse("1/0"))).isPositive();
    }

    @Test
    void rejectsWhatIsNotAnLsnNamingIt() {
        for (String bad : new String[]{"", "16", "/1", "1/", "G/1", "1/2/3", "123456789/0"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void goesOverTheWireAsPostgresWritesItAndNullStaysNull() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        SubscriberProgress s = new SubscriberProgress("sub_node1_node0_t", "streaming", Lsn.parse("16/B374D848"), null,
                Lsn.parse("0/10"));
        String text = json.writeValueAsString(s);
        org.assertj.core.api.Assertions.assertThat(text).contains("\"sentLsn\":\"16/B374D848\"", "\"flushLsn\":null",
                "\"replayLsn\":\"0/10\"");
        org.assertj.core.api.Assertions.assertThat(json.readValue(text, SubscriberProgress.class)).isEqualTo(s);
        org.assertj.core.api.Assertions.assertThat(s.hasReplayed(Lsn.parse("0/10"))).isTrue();
        org.assertj.core.api.Assertions.assertThat(s.hasReplayed(Lsn.parse("0/11"))).isFalse();
        org.assertj.core.api.Assertions.assertThat(new SubscriberProgress("x", "startup", null, null, null)
                .hasReplayed(Lsn.ZERO)).isFalse();
    }
}
