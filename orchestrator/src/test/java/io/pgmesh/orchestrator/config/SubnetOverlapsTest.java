package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.orchestrator.config.SubnetOverlaps.ExistingNetwork;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SubnetOverlapsTest {

    private static final String SUBNET_PATH = "system.networks[0].config.net.ipv4.subnet";

    private static SysConfig shipped() throws Exception {
        return SysConfigLoader.parse(Files.readString(Path.of("..", "sysconfig.json")), "sysconfig.json", n -> null);
    }

    /** The shipped config with a second network entry (10.9.0.0/16) added and selected. */
    private static SysConfig secondNetworkSelected() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(Files.readString(Path.of("..", "sysconfig.json")));
        ArrayNode networks = (ArrayNode) root.at("/system/networks");
        String second = mapper.writeValueAsString(networks.get(0)).replace("\"pgmesh-net\"", "\"other-net\"")
                .replace("172.28.5.", "10.9.0.").replace("255.255.255.0", "255.255.0.0")
                .replace("\"netbits\":24", "\"netbits\":16");
        networks.add(mapper.readTree(second));
        ((ObjectNode) root.at("/system/config")).put("network", "other-net");
        return SysConfigLoader.parse(mapper.writeValueAsString(root), "two.json", n -> null);
    }

    @Test
    void theLoaderKeepsThePathOfTheSubnetField() throws Exception {
        assertThat(shipped().selectedNetwork().subnetPath()).isEqualTo(SUBNET_PATH);
        SysConfig two = secondNetworkSelected();
        assertThat(two.selectedNetwork().subnet()).hasToString("10.9.0.0/16");
        assertThat(two.selectedNetwork().subnetPath()).isEqualTo("system.networks[1].config.net.ipv4.subnet");
        assertThat(two.source()).isEqualTo("two.json");
    }

    @Test
    void anOverlapNamesThePathBothSubnetsAndTheOtherNetwork() throws Exception {
        NetworkConfig net = shipped().selectedNetwork();
        assertThat(SubnetOverlaps.problems(net, List.of(
                new ExistingNetwork("bridge", List.of("172.17.0.0/16")),
                new ExistingNetwork("wide", List.of("172.28.0.0/16")),
                new ExistingNetwork("inside", List.of("172.28.5.128/25")),
                new ExistingNetwork("next-door", List.of("172.28.6.0/24")))))
                .containsExactly(
                        SUBNET_PATH + ": 172.28.5.0/24 overlaps Docker network 'wide' (172.28.0.0/16); choose a free subnet",
                        SUBNET_PATH + ": 172.28.5.0/24 overlaps Docker network 'inside' (172.28.5.128/25);"
                                + " choose a free subnet");
    }

    @Test
    void edgesTouchingIsNoOverlap() throws Exception {
        NetworkConfig net = shipped().selectedNetwork();
        assertThat(SubnetOverlaps.problems(net, List.of(
                new ExistingNetwork("below", List.of("172.28.4.0/24")),
                new ExistingNetwork("above", List.of("172.28.6.0/23"))))).isEmpty();
        assertThat(SubnetOverlaps.problems(net, List.of(new ExistingNetwork("same", List.of("172.28.5.0/24")))))
                .hasSize(1);
    }

    @Test
    void networksWithoutIpv4SubnetsAreIgnoredAndEachNetworkIsReportedOnce() throws Exception {
        NetworkConfig net = shipped().selectedNetwork();
        assertThat(SubnetOverlaps.problems(net, List.of(
                new ExistingNetwork("host", List.of()),
                new ExistingNetwork("none", null),
                new ExistingNetwork("v6", List.of("fd00:28:5::/64", "garbage", "172.28.5.0/33")),
                new ExistingNetwork("dual", List.of("fd00::/64", "172.28.5.0/24", "172.28.0.0/16")))))
                .containsExactly(SUBNET_PATH + ": 172.28.5.0/24 overlaps Docker network 'dual' (172.28.5.0/24);"
                        + " choose a free subnet");
    }

    @Test
    void hostBitsInAReportedSubnetAreCleared() {
        assertThat(SubnetOverlaps.parse("172.28.5.7/16")).map(Ipv4Net::cidr).contains("172.28.0.0/16");
        assertThat(SubnetOverlaps.parse(" 10.0.0.0/8 ")).map(Ipv4Net::cidr).contains("10.0.0.0/8");
        assertThat(SubnetOverlaps.parse("0.0.0.0/0")).map(Ipv4Net::cidr).contains("0.0.0.0/0");
        assertThat(SubnetOverlaps.parse("10.0.0.0")).isEmpty();
        assertThat(SubnetOverlaps.parse(null)).isEmpty();
    }

    @Test
    void checkThrowsAConfigExceptionFromTheConfigsSource() throws Exception {
        SysConfig config = shipped();
        assertThatCode(() -> SubnetOverlaps.check(config, List.of(new ExistingNetwork("bridge", List.of("172.17.0.0/16")))))
                .doesNotThrowAnyException();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SubnetOverlaps.check(config,
                List.of(new ExistingNetwork("corp", List.of("172.16.0.0/12")))));
        assertThat(e.source()).isEqualTo("sysconfig.json");
        assertThat(e.problems()).containsExactly(SUBNET_PATH
                + ": 172.28.5.0/24 overlaps Docker network 'corp' (172.16.0.0/12); choose a free subnet");
    }
}
