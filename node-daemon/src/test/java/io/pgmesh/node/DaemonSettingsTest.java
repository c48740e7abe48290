package io.pgmesh.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonSettingsTest {

    @Test
    void defaultsMatchTheDebianCluster() {
        DaemonSettings s = DaemonSettings.fromEnv(Map.of());
        assertThat(s.pgBin()).isEqualTo(Path.of("/usr/lib/postgresql/17/bin"));
        assertThat(s.pgData()).isEqualTo(Path.of("/var/lib/postgresql/17/main"));
        assertThat(s.pgConfDir()).isEqualTo(Path.of("/etc/postgresql/17/main"));
        assertThat(s.socketFile()).isEqualTo(Path.of("/var/run/postgresql/.s.PGSQL.5432"));
        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/postgresql/pgmesh"));
        assertThat(s.rpcPort()).isEqualTo(64000);
        assertThat(s.maxNodes()).isEqualTo(8);
    }

    @Test
    void readsOverrides() {
        DaemonSettings s = DaemonSettings.fromEnv(Map.of("PGMESH_MAX_NODES", "64", "PGMESH_RPC_PORT", "7000",
                "PGMESH_STATE_DIR", "/tmp/x"));
        assertThat(s.maxNodes()).isEqualTo(64);
        assertThat(s.rpcPort()).isEqualTo(7000);
        assertThat(s.stateDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void rejectsOutOfRangeOrGarbageNamingTheVariable() {
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_MAX_NODES", "0")))
                .hasMessageContaining("PGMESH_MAX_NODES").hasMessageContaining("1..64");
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_MAX_NODES", "65")))
                .hasMessageContaining("PGMESH_MAX_NODES");
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_MAX_NODES", "eight")))
                .hasMessageContaining("PGMESH_MAX_NODES").hasMessageContaining("eight");
        assertThatThrownBy(() -> DaemonSettings.fromEnv(Map.of("PGMESH_PG_DATA", "relative/dir")))
                .hasMessageContaining("PGMESH_PG_DATA");
    }
}
