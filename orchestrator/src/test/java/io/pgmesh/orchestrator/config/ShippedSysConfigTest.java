package io.pgmesh.orchestrator.config;

import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShippedSysConfigTest {

    private static final Path SHIPPED = Path.of("..", "sysconfig.json");

    private final SysConfig config = SysConfigLoader.load(SHIPPED, name -> null);

    @Test
    void selectsTheNetworkAndItsAddresses() {
        assertThat(config.networkId()).isEqualTo("pgmesh-net");
        assertThat(config.selectedNetwork().id()).isEqualTo("pgmesh-net");
        assertThat(config.subnetCidr()).isEqualTo("172.28.5.0/24");
        assertThat(config.gateway()).hasToString("172.28.5.1");
        assertThat(config.selectedNetwork().hostAddress()).map(Ipv4Address::toString).contains("172.28.5.1");
        assertThat(config.selectedNetwork().domain()).contains("pgmesh.internal");
        assertThat(config.selectedNetwork().subnet().netmask()).hasToString("255.255.255.0");
        assertThat(config.minNodes()).isEqualTo(3);
        assertThat(config.maxNodes()).isEqualTo(8);
    }

    @Test
    void nodeAddressesComeFromTheNodesPartUpToMaxNodes() {
        assertThat(config.nodeAddress(0)).hasToString("172.28.5.10");
        assertThat(config.nodeAddress(7)).hasToString("172.28.5.17");
        assertThat(config.nodeAddress(31)).hasToString("172.28.5.41");
        assertThatThrownBy(() -> config.nodeAddress(32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node index 32 has no address: the range 172.28.5.10..172.28.5.41")
                .hasMessageContaining("holds 32 nodes");
        assertThatThrownBy(() -> config.nodeAddress(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void databaseAndTables() {
        assertThat(config.database()).isEqualTo("lb-test");
        assertThat(config.tables()).containsExactly(new TableSpec("table1", List.of(
                new ColumnSpec("id", "bigserial", true, true, null),
                new ColumnSpec("col1", "varchar", false, false, "default-value"),
                new ColumnSpec("col2", "varchar", false, false, null))));
    }

    @Test
    void rolesHaveTheDefaultIdsAndNoPasswords() {
        Roles roles = config.roles();
        assertThat(List.of(roles.owner(), roles.replication(), roles.testWriter(), roles.testReader()))
                .extracting(RoleConfig::id).containsExactly("admin", "replicator", "testwriter", "testreader");
        assertThat(List.of(roles.owner(), roles.replication(), roles.testWriter(), roles.testReader()))
                .extracting(RoleConfig::password).containsOnly(Optional.empty());
    }
}
