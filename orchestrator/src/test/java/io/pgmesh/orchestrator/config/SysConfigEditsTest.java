package io.pgmesh.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SysConfigEditsTest {

    private static final Path SHIPPED = Path.of("..", "sysconfig.json");

    @Test
    void theShippedConfigMovesWithEveryOffsetKept() throws Exception {
        String moved = SysConfigEdits.onSubnet(Files.readString(SHIPPED), Ipv4Net.of("172.28.93.0/24"), "sysconfig.json");
        SysConfig config = SysConfigLoader.parse(moved, "moved");
        assertThat(config.subnetCidr()).isEqualTo("172.28.93.0/24");
        assertThat(config.gateway()).hasToString("172.28.93.1");
        assertThat(config.selectedNetwork().hostAddress()).hasValue(Ipv4Address.of("172.28.93.1"));
        assertThat(config.nodeAddress(0)).hasToString("172.28.93.10");
        assertThat(config.nodeAddress(31)).hasToString("172.28.93.41");
        SysConfig original = SysConfigLoader.load(SHIPPED);
        assertThat(config.roles()).isEqualTo(original.roles());
        assertThat(config.databaseConfig()).isEqualTo(original.databaseConfig());
        assertThat(config.maxNodes()).isEqualTo(original.maxNodes());
    }

    @Test
    void aLargerSubnetTakesTheNewNetmask() throws Exception {
        SysConfig config = SysConfigLoader.parse(SysConfigEdits.onSubnet(Files.readString(SHIPPED), Ipv4Net.of("10.40.0.0/16"),
                "sysconfig.json"), "moved");
        assertThat(config.subnetCidr()).isEqualTo("10.40.0.0/16");
        assertThat(config.nodeAddress(1)).hasToString("10.40.0.11");
    }

    @Test
    void anAddressThatWouldFallOutsideTheSubnetIsNamedByItsPath() throws Exception {
        assertThatThrownBy(() -> SysConfigEdits.onSubnet(Files.readString(SHIPPED), Ipv4Net.of("172.28.93.0/28"), "sysconfig.json"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source()).isEqualTo("sysconfig.json");
                    // a /28 holds offsets 0..15: the range's start (.10) fits, its end (.41) does not
                    assertThat(e.problems()).containsExactly(
                            "system.networks[0].config.net.parts[0].ipv4.end: 172.28.5.41 is 41 addresses from 172.28.5.0,"
                                    + " which falls outside 172.28.93.0/28");
                });
    }

    @Test
    void minNodesIsSetOnTheSelectedNetworkOnly() throws Exception {
        String moved = SysConfigEdits.onSubnet(Files.readString(SHIPPED), Ipv4Net.of("172.28.93.0/24"), "sysconfig.json");
        SysConfig config = SysConfigLoader.parse(SysConfigEdits.withMinNodes(moved, 2, "moved"), "edited");
        assertThat(config.minNodes()).isEqualTo(2);
        assertThat(config.maxNodes()).isEqualTo(8);
        assertThat(config.subnetCidr()).isEqualTo("172.28.93.0/24");
        assertThatThrownBy(() -> SysConfigLoader.parse(SysConfigEdits.withMinNodes(moved, 9, "moved"), "edited"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_nodes");
    }

    @Test
    void aConfigWithoutTheSelectedNetworkSaysSo() {
        assertThatThrownBy(() -> SysConfigEdits.onSubnet("{\"system\":{\"config\":{\"network\":\"n\"},\"networks\":[]}}",
                Ipv4Net.of("172.28.93.0/24"), "x.json"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("system.config.network: no entry of system.networks has id 'n'"));
        assertThatThrownBy(() -> SysConfigEdits.onSubnet("[1]", Ipv4Net.of("172.28.93.0/24"), "x.json"))
                .isInstanceOf(ConfigException.class);
    }
}
