package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {

    @Test
    void sizingLeavesRoomForOneWorkerPerPeerPlusSpares() {
        ServerConfig.Sizing eight = ServerConfig.Sizing.forMesh(8, 1);
        assertThat(eight).isEqualTo(new ServerConfig.Sizing(12, 12, 12, 20));
        for (int n = 1; n <= 64; n++) {
            ServerConfig.Sizing s = ServerConfig.Sizing.forMesh(n, 1);
            assertThat(s.maxWalSenders()).isGreaterThanOrEqualTo(n + 4);
            assertThat(s.maxReplicationSlots()).isGreaterThanOrEqualTo(n + 4);
            assertThat(s.maxLogicalReplicationWorkers()).isGreaterThanOrEqualTo(n + 4);
            assertThat(s.maxWorkerProcesses()).isGreaterThanOrEqualTo(s.maxLogicalReplicationWorkers() + 8);
        }
        assertThatThrownBy(() -> ServerConfig.Sizing.forMesh(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.Sizing.forMesh(8, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizingGrowsWithTheTableCountBecauseSubscriptionsArePerPeerPerTable() {
        ServerConfig.Sizing threeTables = ServerConfig.Sizing.forMesh(8, 3);
        // 7 peers x 3 tables = 21 subscriptions each way, plus spares
        assertThat(threeTables.maxLogicalReplicationWorkers()).isGreaterThanOrEqualTo(7 * 3 + 1);
        assertThat(threeTables.maxWalSenders()).isGreaterThanOrEqualTo(7 * 3 + 1);
        assertThat(threeTables.maxReplicationSlots()).isGreaterThanOrEqualTo(7 * 3 + 1);
        assertThat(threeTables).isEqualTo(new ServerConfig.Sizing(28, 28, 28, 36));
    }

    @Test
    void settingsFileCarriesReplicationSettingsAndHbaPath() {
        String conf = ServerConfig.renderSettings(ServerConfig.Sizing.forMesh(8, 1), 4096,
                Path.of("/etc/postgresql/17/main/pgmesh_hba.conf"), Path.of("/var/lib/postgresql/pgmesh/tls"));
        assertThat(conf.lines()).contains(
                "listen_addresses = '*'",
                "port = 5432",
                "wal_level = logical",
                "track_commit_timestamp = on",
                "max_connections = 200",
                "max_locks_per_transaction = 256",
                "password_encryption = 'scram-sha-256'",
                "max_wal_senders = 12",
                "max_slot_wal_keep_size = 4096MB",
                "max_replication_slots = 12",
                "max_logical_replication_workers = 12",
                "max_worker_processes = 20",
                "wal_receiver_timeout = '10s'",
                "hba_file = '/etc/postgresql/17/main/pgmesh_hba.conf'",
                "ssl = on",
                "ssl_cert_file = '/var/lib/postgresql/pgmesh/tls/server.crt'",
                "ssl_key_file = '/var/lib/postgresql/pgmesh/tls/server.key'",
                "ssl_ca_file = '/var/lib/postgresql/pgmesh/tls/ca.crt'",
                "ssl_crl_file = '/var/lib/postgresql/pgmesh/tls/crl.pem'");
    }

    @Test
    void hbaUsesPeerLocallyTlsOnlyOverTcpCertificatesForReplicationAndNeverTrust() {
        String hba = ServerConfig.renderHba("repl_role");
        assertThat(hba).doesNotContain("trust").doesNotContain("md5").doesNotContain("password ");
        assertThat(hba.lines().map(l -> l.trim().replaceAll("\\s+", " ")))
                .containsExactly("# Written by the pgmesh node daemon at every start; edits are overwritten.",
                        "# TYPE DATABASE USER ADDRESS METHOD",
                        "local all postgres peer",
                        "hostssl all \"repl_role\" 0.0.0.0/0 cert",
                        "hostssl all \"repl_role\" ::/0 cert",
                        "hostssl all all 0.0.0.0/0 scram-sha-256",
                        "hostssl all all ::/0 scram-sha-256");
        // no plain "host" line: a connection without TLS matches nothing and is refused
        assertThat(hba.lines().filter(l -> l.startsWith("host ") || l.startsWith("hostnossl"))).isEmpty();
    }
}
