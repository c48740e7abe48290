package io.pgmesh.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNode;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.lab.Lab;
import io.pgmesh.orchestrator.lab.LabEngines;
import io.pgmesh.orchestrator.lab.LabHost;
import io.pgmesh.orchestrator.lab.LabSettings;
import io.pgmesh.orchestrator.wait.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code pgmesh lab}: three Docker-in-Docker hosts joined in a Swarm of managers, with a registry. Up: every node is
 * a ready manager named h1..h3, the registry answers, each engine answers over TLS and refuses plain HTTP, the
 * generated sysconfig.json names the lab. A stopped host is seen down by the other managers and comes back ready.
 * Down leaves nothing labelled with the lab. A lab of its own (name and subnet) so a user's lab is left alone.
 */
class LabIT {

    private static final String NAME = "pgmesh-lab-it";
    private static final Path DIR = Path.of("target", "lab-it").toAbsolutePath();
    private static final Duration SEEN_DOWN = Duration.ofSeconds(45);

    private static DockerClient docker;
    private static Lab lab;

    @BeforeAll
    static void cleanLeftovers() {
        docker = TestClusters.docker();
        lab = new Lab(docker, new LabSettings(NAME, DIR, "172.29.11.0/24"), System.out::println);
        lab.down(); // a crashed earlier run
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void upStopStartDown() throws Exception {
        Lab.UpResult up = lab.up(3, TestClusters.SHIPPED_CONFIG);
        List<LabHost> hosts = up.hosts();
        assertThat(hosts).extracting(LabHost::name).containsExactly("h1", "h2", "h3");
        assertThat(hosts).extracting(LabHost::address).containsExactly("172.29.11.11", "172.29.11.12", "172.29.11.13");

        // every engine answers over TLS and every one sees three ready, reachable managers h1..h3
        for (LabHost h : hosts) {
            try (DockerClient c = lab.client(h.name())) {
                c.pingCmd().exec();
                List<SwarmNode> nodes = c.listSwarmNodesCmd().exec();
                assertThat(nodes).as("seen by " + h.name()).hasSize(3);
                assertThat(nodes).extracting(n -> n.getDescription().getHostname())
                        .containsExactlyInAnyOrder("h1", "h2", "h3");
                assertThat(nodes).allSatisfy(n -> {
                    assertThat(state(n)).isEqualTo("ready");
                    assertThat(n.getManagerStatus()).isNotNull();
                    assertThat(lower(n.getManagerStatus().getReachability().name())).isEqualTo("reachable");
                });
            }
            // no client certificate, no TLS: refused
            try (DockerClient plain = LabEngines.plainClient(h.dockerHost())) {
                assertThatThrownBy(() -> plain.pingCmd().exec()).as("plain HTTP to " + h.dockerHost())
                        .isInstanceOf(RuntimeException.class);
            }
        }

        // the registry on h1 answers
        HttpResponse<String> registry = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + up.registry() + "/v2/")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registry.statusCode()).isEqualTo(200);
        assertThat(up.registry()).isEqualTo("172.29.11.11:5000");

        // the generated config: the shipped one plus system.runtime
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(Files.readString(DIR.resolve("sysconfig.json")));
        JsonNode shipped = json.readTree(Files.readString(TestClusters.SHIPPED_CONFIG));
        assertThat(written.get("system").get("config")).isEqualTo(shipped.get("system").get("config"));
        assertThat(written.get("system").get("networks")).isEqualTo(shipped.get("system").get("networks"));
        JsonNode runtime = written.get("system").get("runtime");
        assertThat(runtime.get("kind").asText()).isEqualTo("swarm");
        assertThat(runtime.get("manager").asText()).isEqualTo("tcp://172.29.11.11:2376");
        assertThat(runtime.get("tls_cert_dir").asText()).isEqualTo(DIR.resolve("certs").toString());
        assertThat(runtime.get("registry").asText()).isEqualTo("172.29.11.11:5000");
        assertThat(runtime.get("network").get("mtu").asInt()).isEqualTo(up.mtu() - 50);

        // again: already up is success, nothing new
        Lab.UpResult again = lab.up(3, TestClusters.SHIPPED_CONFIG);
        assertThat(again.hosts()).isEqualTo(hosts);
        assertThatThrownBy(() -> lab.up(2, TestClusters.SHIPPED_CONFIG)).isInstanceOf(UsageException.class)
                .hasMessageContaining("already up with 3 hosts");
        assertThatThrownBy(() -> lab.stopHost("h7")).isInstanceOf(UsageException.class)
                .hasMessage("HOST: unknown host \"h7\": the lab has h1..h3");

        // h2 stops: h1 and h3 (still a quorum) see its node down
        Duration stop = lab.stopHost("h2");
        long t = System.nanoTime();
        for (String observer : List.of("h1", "h3")) {
            try (DockerClient c = lab.client(observer)) {
                Poll.until(observer + " sees h2 down", SEEN_DOWN, Duration.ofMillis(250), () ->
                        "down".equals(nodeState(c, "h2")) ? Optional.of(true) : Optional.empty());
            }
        }
        Duration seenDown = Duration.ofNanos(System.nanoTime() - t);
        Lab.Status whileDown = lab.status();
        assertThat(whileDown.hosts()).filteredOn(h -> h.host().name().equals("h2")).singleElement()
                .satisfies(h -> {
                    assertThat(h.container()).isEqualTo("exited");
                    assertThat(h.node()).isEqualTo("down");
                });

        // h2 starts: ready again, as seen by h1
        Duration start = lab.startHost("h2");
        try (DockerClient c = lab.client("h1")) {
            Poll.until("h1 sees h2 ready", Duration.ofSeconds(30), Duration.ofMillis(250), () ->
                    "ready".equals(nodeState(c, "h2")) ? Optional.of(true) : Optional.empty());
        }
        assertThat(lab.status().hosts()).allSatisfy(h -> {
            assertThat(h.container()).isEqualTo("running");
            assertThat(h.node()).isEqualTo("ready");
            assertThat(h.clusterTasks()).isZero();
        });
        System.out.printf(Locale.ROOT, "[LabIT] up %.1f s (image %.1f s, hosts %.1f s, swarm %.1f s, registry %.1f s);"
                        + " stop-host %.1f s, seen down after %.1f s more; start-host %.1f s; bridge mtu %d%n",
                sec(up.total()), sec(up.image()), sec(up.hostsAnswer()), sec(up.swarm()), sec(up.registryUp()),
                sec(stop), sec(seenDown), sec(start), up.mtu());

        // down: nothing labelled with the lab remains
        lab.down();
        Map<String, String> label = Map.of(Lab.LABEL, NAME);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec()).isEmpty();
        assertThat(docker.listVolumesCmd().withFilter("label", List.of(Lab.LABEL + "=" + NAME)).exec().getVolumes())
                .isNullOrEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", List.of(Lab.LABEL + "=" + NAME)).exec()).isEmpty();
        assertThat(DIR.resolve("certs")).doesNotExist();
        assertThat(DIR.resolve("hosts")).doesNotExist();
        assertThat(DIR.resolve("sysconfig.json")).doesNotExist();
        assertThat(lab.status().up()).isFalse();
    }

    private static String nodeState(DockerClient manager, String hostname) {
        return manager.listSwarmNodesCmd().exec().stream()
                .filter(n -> hostname.equals(n.getDescription().getHostname()))
                .map(LabIT::state).findFirst().orElse("missing");
    }

    private static String state(SwarmNode n) {
        return lower(n.getStatus().getState().name());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static double sec(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
