package io.pgmesh.orchestrator.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.orchestrator.cluster.UsageException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRuntimeSitsBesideConfigAndNetworksAndEverythingElseIsKept() throws Exception {
        ObjectNode source = (ObjectNode) JSON.readTree(Files.readString(Path.of("..", "sysconfig.json")));
        LabSettings settings = LabSettings.defaults(Path.of("/tmp/somewhere/lab"));

        ObjectNode config = Lab.withRuntime(source, settings, 1500);

        assertThat(config.get("system").get("config")).isEqualTo(source.get("system").get("config"));
        assertThat(config.get("system").get("networks")).isEqualTo(source.get("system").get("networks"));
        List<String> systemKeys = new java.util.ArrayList<>();
        config.get("system").fieldNames().forEachRemaining(systemKeys::add);
        assertThat(systemKeys).containsExactly("config", "networks", "runtime");
        assertThat(config.get("system").get("runtime")).isEqualTo(JSON.readTree("""
                {"kind": "swarm", "manager": "tcp://172.29.10.11:2376", "tls_cert_dir": "/tmp/somewhere/lab/certs",
                 "registry": "172.29.10.11:5000",
                 "network": {"subnet": "10.210.0.0/24", "ip_range": "10.210.0.128/25", "mtu": 1450}}"""));
        assertThat(source.get("system").has("runtime")).as("the source is not changed").isFalse();
    }

    @Test
    void hostsAreNumberedFromElevenOnTheLabSubnet() {
        LabSettings s = new LabSettings("demo", Path.of("x"), "10.230.4.0/24");
        assertThat(s.hosts(3)).extracting(LabHost::address).containsExactly("10.230.4.11", "10.230.4.12", "10.230.4.13");
        assertThat(s.host(2).container()).isEqualTo("demo-h2");
        assertThat(s.host(2).dockerHost()).isEqualTo("tcp://10.230.4.12:2376");
        assertThat(s.gateway()).isEqualTo("10.230.4.1");
        assertThat(s.dir()).isAbsolute();
        assertThat(Lab.range(s.hosts(3))).isEqualTo("h1..h3");
        assertThatThrownBy(() -> new LabSettings("demo", Path.of("x"), "10.230.4.0/16"))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void aHostCountOutsideOneToNineIsRefusedBeforeDockerIsAsked() {
        Lab lab = new Lab(null, LabSettings.defaults(Path.of("lab")), line -> { });
        assertThatThrownBy(() -> lab.up(0)).isInstanceOf(UsageException.class).hasMessage("--hosts: 0 is outside 1..9");
        assertThatThrownBy(() -> lab.up(10)).isInstanceOf(UsageException.class).hasMessage("--hosts: 10 is outside 1..9");
    }

    @Test
    void systempathsUnconfinedIsSentAsEmptyMaskedAndReadonlyPaths() throws Exception {
        var config = new Lab.LabHostConfig().withInit(true);
        var json = com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder().build()
                .getObjectMapper().writeValueAsString(config);
        assertThat(json).contains("\"MaskedPaths\":[]").contains("\"ReadonlyPaths\":[]").contains("\"Init\":true");
    }
}
