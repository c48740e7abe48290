package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code system.runtime}: the default, a Swarm through the file or the DOCKER_* environment, and every error path. */
class RuntimeConfigTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static String shipped() throws IOException {
        return Files.readString(Path.of("../sysconfig.json"));
    }

    private ObjectNode withRuntime(String runtimeJson) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(shipped());
        ((ObjectNode) root.get("system")).set("runtime", MAPPER.readTree(runtimeJson));
        return root;
    }

    private SysConfig load(String runtimeJson, Map<String, String> env) throws IOException {
        return SysConfigLoader.parse(withRuntime(runtimeJson).toString(), "t.json", env::get);
    }

    private List<String> problems(String runtimeJson, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(runtimeJson, env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    private Path certs() throws IOException {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        for (String f : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(certs.resolve(f), "x");
        }
        return certs;
    }

    @Test
    void absentRuntimeIsTheLocalEngine() throws IOException {
        SysConfig config = SysConfigLoader.parse(shipped(), "t.json", name -> null);
        assertThat(config.runtime()).isEqualTo(new RuntimeConfig.Docker());
        assertThat(config.runtime().isSwarm()).isFalse();
    }

    @Test
    void swarmFromTheFile() throws IOException {
        Path certs = certs();
        SysConfig config = load("""
                {"kind": "swarm", "manager": "tcp://10.0.0.5:2376", "tls_cert_dir": "%s", "registry": "10.0.0.5:5000",
                 "network": {"subnet": "10.210.0.0/24", "ip_range": "10.210.0.128/25", "mtu": 1350}}
                """.formatted(certs), Map.of());
        assertThat(config.runtime()).isEqualTo(new RuntimeConfig.Swarm("tcp://10.0.0.5:2376", Optional.of(certs),
                "10.0.0.5:5000", new RuntimeConfig.OverlayConfig(Ipv4Net.of("10.210.0.0/24"),
                Ipv4Net.of("10.210.0.128/25"), 1350)));
    }

    @Test
    void swarmFromTheDockerEnvironmentWithNetworkDefaults() throws IOException {
        Path certs = certs();
        SysConfig config = load("{\"kind\": \"swarm\", \"registry\": \"reg.example:5000\"}", Map.of(
                "DOCKER_HOST", "tcp://10.0.0.7:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));
        RuntimeConfig.Swarm swarm = (RuntimeConfig.Swarm) config.runtime();
        assertThat(swarm.manager()).isEqualTo("tcp://10.0.0.7:2376");
        assertThat(swarm.tlsCertDir()).contains(certs);
        assertThat(swarm.network()).isEqualTo(new RuntimeConfig.OverlayConfig(Ipv4Net.of("10.210.0.0/24"),
                Ipv4Net.of("10.210.0.0/24"), 1400));
    }

    @Test
    void aTcpManagerWithoutTlsIsRefused() {
        assertThat(problems("{\"kind\": \"swarm\", \"manager\": \"tcp://10.0.0.5:2375\", \"registry\": \"r:5000\"}",
                Map.of())).containsExactly("system.runtime.tls_cert_dir: is required for a tcp:// manager (or"
                + " DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH): pgmesh does not talk to a Docker API in clear text");
    }

    @Test
    void everyProblemNamesItsPath() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertThat(problems("""
                {"kind": "swarm", "manager": "10.0.0.5:2376", "registry": "http://r",
                 "network": {"subnet": "10.210.0.0/28", "ip_range": "10.211.0.0/25", "mtu": 100, "vlan": 3}}
                """, Map.of())).containsExactlyInAnyOrder(
                "system.runtime.manager: '10.0.0.5:2376' is not a Docker endpoint such as tcp://10.0.0.5:2376 or"
                        + " unix:///var/run/docker.sock",
                "system.runtime.registry: 'http://r' is not host:port of a registry, e.g. 10.0.0.5:5000",
                "system.runtime.network.vlan: unknown key (expected one of [subnet, ip_range, mtu])",
                "system.runtime.network.mtu: must be between 1280 and 9000, got 100",
                "system.runtime.network.subnet: 10.210.0.0/28 is too small: use a /26 or larger",
                "system.runtime.network.ip_range: 10.211.0.0/25 is not inside subnet 10.210.0.0/28");
        assertThat(problems("""
                {"kind": "swarm", "manager": "tcp://h:2376", "tls_cert_dir": "%s", "registry": "r:5000"}
                """.formatted(dir.resolve("empty")), Map.of())).containsExactly("system.runtime.tls_cert_dir: "
                + dir.resolve("empty") + " lacks ca.pem, cert.pem, key.pem (the client certificate, its key and the"
                + " CA that signed the engines' certificates)");
    }

    @Test
    void missingManagerAndUnknownKind() {
        assertThat(problems("{\"kind\": \"swarm\", \"registry\": \"r:5000\"}", Map.of())).containsExactly(
                "system.runtime.manager: is required (or set DOCKER_HOST): the Docker endpoint of one of the"
                        + " Swarm's managers, e.g. tcp://10.0.0.5:2376");
        assertThat(problems("{\"kind\": \"kubernetes\"}", Map.of())).containsExactly(
                "system.runtime.kind: 'kubernetes' is not a runtime: use \"docker\" (the local engine) or \"swarm\"");
        assertThat(problems("{\"kind\": \"docker\", \"registry\": \"r:5000\"}", Map.of())).containsExactly(
                "system.runtime.registry: only for \"kind\": \"swarm\"");
        assertThat(problems("{\"kind\": \"swarm\", \"manager\": \"unix:///var/run/docker.sock\"}", Map.of()))
                .containsExactly("system.runtime.registry: is required");
    }
}
