package io.pgmesh.orchestrator.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4Test {

    @Test
    void parsesOnlyStrictDottedQuads() {
        assertThat(Ipv4Address.parse("0.0.0.0")).map(Ipv4Address::toString).contains("0.0.0.0");
        assertThat(Ipv4Address.parse("255.255.255.255")).map(Ipv4Address::toString).contains("255.255.255.255");
        assertThat(Ipv4Address.parse("256.1.1.1")).isEmpty();
        assertThat(Ipv4Address.parse("1.2.3")).isEmpty();
        assertThat(Ipv4Address.parse("01.2.3.4")).isEmpty();
        assertThat(Ipv4Address.parse(" 1.2.3.4")).isEmpty();
        assertThat(Ipv4Address.parse("1.2.3.4/24")).isEmpty();
        assertThat(Ipv4Address.parse(null)).isEmpty();
    }

    @Test
    void ordersUnsigned() {
        assertThat(Ipv4Address.of("200.0.0.1")).isGreaterThan(Ipv4Address.of("10.0.0.1"));
        assertThat(Ipv4Address.of("10.0.0.255").plus(1)).hasToString("10.0.1.0");
        assertThatThrownBy(() -> Ipv4Address.of("255.255.255.255").plus(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void networks() {
        Ipv4Net net = Ipv4Net.of("172.28.5.0/24");
        assertThat(net.netmask()).hasToString("255.255.255.0");
        assertThat(net.last()).hasToString("172.28.5.255");
        assertThat(net.contains(Ipv4Address.of("172.28.5.77"))).isTrue();
        assertThat(net.contains(Ipv4Address.of("172.28.6.1"))).isFalse();
        assertThat(net.cidr()).isEqualTo("172.28.5.0/24");
        assertThatThrownBy(() -> Ipv4Net.of("172.28.5.1/24")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlaps() {
        Ipv4Net net = Ipv4Net.of("172.28.5.0/24");
        assertThat(net.overlaps(Ipv4Net.of("172.28.0.0/16"))).isTrue();
        assertThat(Ipv4Net.of("172.28.0.0/16").overlaps(net)).isTrue();
        assertThat(net.overlaps(Ipv4Net.of("172.28.5.128/25"))).isTrue();
        assertThat(net.overlaps(Ipv4Net.of("172.28.6.0/24"))).isFalse();
        assertThat(net.overlaps(Ipv4Net.DOCKER0)).isFalse();
        assertThat(Ipv4Net.of("172.16.0.0/12").overlaps(Ipv4Net.DOCKER0)).isTrue();
    }

    @Test
    void ranges() {
        AddressRange range = new AddressRange("nodes", Ipv4Address.of("10.0.0.10"), Ipv4Address.of("10.0.0.12"));
        assertThat(range.size()).isEqualTo(3);
        assertThat(range.address(2)).hasToString("10.0.0.12");
        assertThatThrownBy(() -> range.address(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolesNeverPrintTheirPassword() {
        RoleConfig role = new RoleConfig("admin", java.util.Optional.of("s3cret-pw"));
        assertThat(role.toString()).doesNotContain("s3cret-pw").contains("admin");
        Roles roles = new Roles(role, role, role, role);
        assertThat(roles.toString()).doesNotContain("s3cret-pw");
        assertThat(role.credentials(() -> "generated").password()).isEqualTo("s3cret-pw");
        assertThat(new RoleConfig("x", java.util.Optional.empty()).credentials(() -> "generated").password())
                .isEqualTo("generated");
    }
}
