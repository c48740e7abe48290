package io.pgmesh.orchestrator.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterSecretsTest {

    @TempDir
    Path home;

    @Test
    void generatesStoresOwnerOnlyAndReusesPasswords() throws Exception {
        ClusterSecrets first = ClusterSecrets.resolve(home, "c1", Map.of(), true);
        Path file = ClusterSecrets.fileFor(home, "c1");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(first.password(ClusterSecrets.REPLICATOR)).hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(first.password(ClusterSecrets.WRITER));

        ClusterSecrets again = ClusterSecrets.resolve(home, "c1", Map.of(), false);
        assertThat(again.password(ClusterSecrets.REPLICATOR)).isEqualTo(first.password(ClusterSecrets.REPLICATOR));
        assertThat(again.toString()).doesNotContain(first.password(ClusterSecrets.REPLICATOR));
    }

    @Test
    void theRpcSecretIsGeneratedStoredAndFoundByLaterCommands() {
        ClusterSecrets created = ClusterSecrets.resolve(home, "c3",
                Map.of(ClusterSecrets.OWNER, Optional.of("configured-owner")), true);
        assertThat(created.rpcSecret()).hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(created.password(ClusterSecrets.REPLICATOR));
        assertThat(ClusterSecrets.rpcSecret(home, "c3")).isEqualTo(created.rpcSecret());
        assertThat(ClusterSecrets.resolve(home, "c3", Map.of(), true).rpcSecret()).isEqualTo(created.rpcSecret());
        assertThat(ClusterSecrets.resolve(home, "c4", Map.of(), true).rpcSecret()).isNotEqualTo(created.rpcSecret());
    }

    @Test
    void aClusterWithoutStoredSecretsHasNoRpcSecret() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterSecrets.rpcSecret(home, "never-up"));
        assertThat(e.getMessage()).contains("never-up").contains("secrets.json").contains("pgmesh up");
    }

    @Test
    void configuredPasswordWinsAndIsNotStored() throws Exception {
        ClusterSecrets s = ClusterSecrets.resolve(home, "c2",
                Map.of(ClusterSecrets.REPLICATOR, Optional.of("from-config")), true);
        assertThat(s.password(ClusterSecrets.REPLICATOR)).isEqualTo("from-config");
        assertThat(Files.readString(ClusterSecrets.fileFor(home, "c2"))).doesNotContain("from-config");
    }

    @Test
    void missingPasswordWithoutCreationNamesRoleAndFile() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClusterSecrets.resolve(home, "absent", Map.of(), false));
        assertThat(e.getMessage()).contains("owner").contains("absent").contains("pgmesh up");
    }

    @Test
    void deleteRemovesOnlyThatCluster() {
        ClusterSecrets.resolve(home, "keep", Map.of(), true);
        ClusterSecrets.resolve(home, "gone", Map.of(), true);
        ClusterSecrets.delete(home, "gone");
        assertThat(ClusterSecrets.fileFor(home, "gone").getParent()).doesNotExist();
        assertThat(ClusterSecrets.fileFor(home, "keep")).exists();
    }
}
