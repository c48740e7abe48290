package io.pgmesh.orchestrator.cli;

import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.protocol.Credentials;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsRenderTest {

    private static final Map<String, Credentials> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put("owner", new Credentials("admin", "pw-owner-123"));
        ROLES.put("replicator", new Credentials("replicator", "pw-repl-456"));
        ROLES.put("writer", new Credentials("testwriter", "pw-writer-789"));
        ROLES.put("reader", new Credentials("testreader", "pw-reader-000"));
    }

    private static final List<NodeContainer> NODES = List.of(
            new NodeContainer("c0", "pgmesh-node0", "node0", 0, "10.0.0.10", true, "running", 32770, 32771),
            new NodeContainer("c1", "pgmesh-node1", "node1", 1, null, false, "exited", 0, 0));

    @Test
    void passwordsAreHiddenUnlessAskedFor() {
        String text = CredentialsCommand.render(ROLES, null, false, NODES, n -> io.pgmesh.orchestrator.cluster
                .ClusterContext.jdbcUrl(new io.pgmesh.orchestrator.runtime.Endpoint("127.0.0.1", n.pgPort()), "lb-test",
                        java.nio.file.Path.of("/home/u/.pgmesh/clusters/c/tls/ca.crt")), "/home/u/.pgmesh/secrets.json",
                "/home/u/.pgmesh/clusters/c/tls/ca.crt");
        assertThat(text).doesNotContain("pw-").contains("testwriter").contains(CredentialsCommand.HIDDEN)
                .contains("node0    jdbc:postgresql://127.0.0.1:32770/lb-test?sslmode=verify-full&sslrootcert="
                        + "%2Fhome%2Fu%2F.pgmesh%2Fclusters%2Fc%2Ftls%2Fca.crt")
                .contains("CA: /home/u/.pgmesh/clusters/c/tls/ca.crt")
                .contains("node1    (exited)")
                .contains("/home/u/.pgmesh/secrets.json");
    }

    @Test
    void shownWhenAskedForAndFilteredByRole() {
        String text = CredentialsCommand.render(ROLES, "writer", true, NODES, n -> "url-of-" + n.node(), "f", "ca");
        assertThat(text).contains("writer      testwriter       pw-writer-789").doesNotContain("pw-owner")
                .doesNotContain("testreader");
    }
}
