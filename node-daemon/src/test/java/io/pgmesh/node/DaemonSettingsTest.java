package io.pgmesh.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonSettingsTest {

    private static final String SECRET = "0123456789abcdef-cluster";

    @Test
    void defaultsWithASecret() {
        DaemonSettings s = DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", SECRET));
        assertThat(s.rpcPort()).isEqualTo(64000);
        assertThat(s.maxNodes()).isEqualTo(8);
        assertThat(s.pgData()).isEqualTo(Path.of("/var/lib/postgresql/17/main"));
        assertThat(s.rpcSecret()).isEqualTo(SECRET);
        assertThat(s.maxSlotWalKeepMb()).isEqualTo(4096);
    }

    @Test
    void theSlotWalLimitIsReadAndBounded() {
        assertThat(DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", SECRET, "PGMESH_MAX_SLOT_WAL_KEEP_MB", "128"))
                .maxSlotWalKeepMb()).isEqualTo(128);
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", SECRET,
                "PGMESH_MAX_SLOT_WAL_KEEP_MB", "10"))).hasMessageStartingWith("PGMESH_MAX_SLOT_WAL_KEEP_MB");
    }

    @Test
    void withoutASecretTheDaemonRefusesToStart() {
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of()))
                .hasMessageStartingWith("PGMESH_RPC_SECRET is not set");
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", "   ")))
                .hasMessageStartingWith("PGMESH_RPC_SECRET is not set");
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", "short-one")))
                .hasMessage("PGMESH_RPC_SECRET: the secret must be at least 16 characters long, got 9")
                .hasMessageNotContaining("short-one");
    }

    @Test
    void theSecretCanComeFromAFileAndOnlyOneWay(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("pgmesh-rpc-secret"), SECRET + "\n");
        assertThat(DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET_FILE", file.toString())).rpcSecret())
                .isEqualTo(SECRET);
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET_FILE", file.toString(),
                "PGMESH_RPC_SECRET", SECRET))).hasMessage("both PGMESH_RPC_SECRET and PGMESH_RPC_SECRET_FILE are set:"
                + " give the secret one way");
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET_FILE", dir.resolve("none").toString())))
                .hasMessageStartingWith("PGMESH_RPC_SECRET_FILE names " + dir.resolve("none") + ", which cannot be read");
    }

    @Test
    void theSecretNeverAppearsInToString() {
        DaemonSettings s = DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", SECRET, "PGMESH_MAX_NODES", "5"));
        assertThat(s.toString()).doesNotContain(SECRET).contains("rpcSecret=***").contains("maxNodes=5");
    }

    @Test
    void badNumbersNameTheVariable() {
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_RPC_SECRET", SECRET, "PGMESH_MAX_NODES", "many")))
                .hasMessageStartingWith("PGMESH_MAX_NODES must be an integer");
    }
}
