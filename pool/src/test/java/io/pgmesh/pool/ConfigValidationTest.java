package io.pgmesh.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    private static final List<NodeEndpoint> NODES = FakeMesh.nodes(2);
    private static final Map<GroupRole, Login> WRITER_LOGIN = Map.of(GroupRole.WRITER, new Login("w", "pw"));
    private static final List<GroupSpec> WRITERS = List.of(new GroupSpec("w", GroupRole.WRITER, 4, true));

    @Test
    void groupSpecNamesTheFieldAndGroup() {
        assertThatThrownBy(() -> new GroupSpec(" ", GroupRole.WRITER, 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group name");
        assertThatThrownBy(() -> new GroupSpec("writer1", GroupRole.WRITER, 0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'writer1'").hasMessageContaining("connections");
        assertThatThrownBy(() -> new GroupSpec("writer1", null, 3, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'writer1'").hasMessageContaining("role");
    }

    @Test
    void nodeEndpointValidation() {
        assertThatThrownBy(() -> new NodeEndpoint("", "127.0.0.1", 1)).hasMessageContaining("node name");
        assertThatThrownBy(() -> new NodeEndpoint("n1", "127.0.0.1", 0)).hasMessageContaining("'n1'")
                .hasMessageContaining("port");
    }

    @Test
    void loginToStringHidesThePassword() {
        Login login = new Login("app", "very-secret");
        assertThat(login.toString()).contains("app").doesNotContain("very-secret");
        MeshPoolConfig config = MeshPoolConfig.of("db", NODES, Map.of(GroupRole.WRITER, login), WRITERS);
        assertThat(config.toString()).doesNotContain("very-secret");
    }

    @Test
    void configDefaultsAndBuilder() {
        MeshPoolConfig config = MeshPoolConfig.of("db", NODES, WRITER_LOGIN, WRITERS);
        assertThat(config.borrowTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.downNodeRetryAfter()).isEqualTo(Duration.ofSeconds(2));
        MeshPoolConfig built = MeshPoolConfig.builder("db").nodes(NODES).login(GroupRole.WRITER, "w", "pw")
                .group("w", GroupRole.WRITER, 4, true).build();
        assertThat(built).isEqualTo(config);
        assertThat(built.group("w")).isEqualTo(WRITERS.get(0));
    }

    @Test
    void configValidationMessages() {
        assertThatThrownBy(() -> MeshPoolConfig.of("db", List.of(), WRITER_LOGIN, WRITERS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("at least one node is required");
        assertThatThrownBy(() -> MeshPoolConfig.of("db",
                List.of(FakeMesh.node("n1", 1), FakeMesh.node("n1", 2)), WRITER_LOGIN, WRITERS))
                .hasMessage("duplicate node name 'n1'");
        assertThatThrownBy(() -> MeshPoolConfig.of("db", NODES, WRITER_LOGIN,
                List.of(new GroupSpec("w", GroupRole.WRITER, 1, true), new GroupSpec("w", GroupRole.WRITER, 2, true))))
                .hasMessage("duplicate group name 'w'");
        assertThatThrownBy(() -> MeshPoolConfig.of("db", NODES, WRITER_LOGIN,
                List.of(new GroupSpec("reader1", GroupRole.READER, 1, true))))
                .hasMessage("no login for role READER used by group 'reader1'");
        assertThatThrownBy(() -> MeshPoolConfig.of(" ", NODES, WRITER_LOGIN, WRITERS))
                .hasMessageContaining("database");
        assertThatThrownBy(() -> MeshPoolConfig.of("db", NODES, WRITER_LOGIN, List.of()))
                .hasMessageContaining("at least one group");
        assertThatThrownBy(() -> MeshPoolConfig.of("db", NODES, WRITER_LOGIN, WRITERS)
                .withBorrowTimeout(Duration.ZERO)).hasMessageContaining("borrowTimeout");
        assertThatThrownBy(() -> MeshPoolConfig.of("db", NODES, WRITER_LOGIN, WRITERS)
                .withDownNodeRetryAfter(Duration.ofSeconds(-1))).hasMessageContaining("downNodeRetryAfter");
    }
}
