package io.pgmesh.node.tls;

import io.pgmesh.node.rpc.TestPki;
import io.pgmesh.protocol.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsStoreTest {

    @TempDir
    Path state;
    @TempDir
    Path delivery;

    private static Map<String, String> bundle(TestPki.Ca ca, long generation) throws Exception {
        TestPki.Issued server = ca.server();
        TestPki.Issued replicator = ca.client("replicator");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(TlsFiles.CA, pem("CERTIFICATE", ca.certificate().getEncoded()));
        files.put(TlsFiles.CRL, pem("X509 CRL", ca.crl().getEncoded()));
        files.put(TlsFiles.SERVER_CERT, pem("CERTIFICATE", server.certificate().getEncoded()));
        files.put(TlsFiles.SERVER_KEY, pem("PRIVATE KEY", server.key().getEncoded()));
        files.put(TlsFiles.REPLICATOR_CERT, pem("CERTIFICATE", replicator.certificate().getEncoded()));
        files.put(TlsFiles.REPLICATOR_KEY, pem("PRIVATE KEY", replicator.key().getEncoded()));
        files.put(TlsFiles.GENERATION, Long.toString(generation));
        return files;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void deliver(Map<String, String> files) throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(delivery.resolve(TlsFiles.DELIVERY_PREFIX + f.getKey()), f.getValue());
        }
    }

    @Test
    void theDeliveredMaterialIsInstalledWithPrivateKeysAndTheDerKeyForJdbc() throws Exception {
        TestPki.Ca ca = TestPki.newCa("test CA");
        Map<String, String> files = bundle(ca, 3);
        deliver(files);
        TlsStore store = new TlsStore(state);

        store.installDelivered(delivery);

        assertThat(store.installedGeneration()).isEqualTo(3);
        assertThat(Files.isSymbolicLink(store.dir())).isTrue();
        assertThat(Files.readString(store.dir().resolve(TlsFiles.SERVER_CERT))).isEqualTo(files.get(TlsFiles.SERVER_CERT));
        assertThat(Files.getPosixFilePermissions(store.dir().resolve(TlsFiles.SERVER_KEY)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(store.dir().resolve(TlsFiles.REPLICATOR_KEY_DER)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readAllBytes(store.dir().resolve(TlsFiles.REPLICATOR_KEY_DER)))
                .isEqualTo(io.pgmesh.protocol.Pem.keyDer(files.get(TlsFiles.REPLICATOR_KEY), "k"));
    }

    @Test
    void anOlderDeliveryNeverReplacesWhatARotationInstalled() throws Exception {
        TestPki.Ca ca = TestPki.newCa("test CA");
        TlsStore store = new TlsStore(state);
        Map<String, String> rotated = bundle(ca, 9);
        assertThat(store.install(TlsBundle.check(rotated))).isTrue();
        deliver(bundle(ca, 4)); // the files the container was created with, older than the rotation

        store.installDelivered(delivery);

        assertThat(store.installedGeneration()).isEqualTo(9);
        assertThat(Files.readString(store.dir().resolve(TlsFiles.SERVER_CERT))).isEqualTo(rotated.get(TlsFiles.SERVER_CERT));
        assertThat(store.install(TlsBundle.check(rotated))).as("the same generation again").isFalse();
        try (var dirs = Files.list(state)) {
            assertThat(dirs.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no generation left behind but the current one").containsExactly("tls", "tls-9");
        }
    }

    @Test
    void withNothingDeliveredAndNothingInstalledTheDaemonRefusesToStart() {
        assertThatThrownBy(() -> new TlsStore(state).installDelivered(delivery))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no TLS material")
                .hasMessageContaining(delivery.toString());
    }

    @Test
    void aBundleIsCheckedFileByFileBeforeAnythingIsInstalled() throws Exception {
        TestPki.Ca ca = TestPki.newCa("test CA");
        TestPki.Ca other = TestPki.newCa("other CA");
        Map<String, String> missing = bundle(ca, 2);
        missing.remove(TlsFiles.CRL);
        assertThatThrownBy(() -> TlsBundle.check(missing)).hasMessage(TlsFiles.CRL + ": missing");

        Map<String, String> swapped = bundle(ca, 2);
        swapped.put(TlsFiles.SERVER_KEY, bundle(ca, 2).get(TlsFiles.SERVER_KEY));
        assertThatThrownBy(() -> TlsBundle.check(swapped)).hasMessageStartingWith(TlsFiles.SERVER_KEY
                + ": is not the key of the certificate");

        Map<String, String> foreign = bundle(ca, 2);
        foreign.put(TlsFiles.CA, bundle(other, 2).get(TlsFiles.CA));
        assertThatThrownBy(() -> TlsBundle.check(foreign)).hasMessageStartingWith(TlsFiles.SERVER_CERT
                + ": not issued by a CA of " + TlsFiles.CA);

        Map<String, String> badGeneration = bundle(ca, 2);
        badGeneration.put(TlsFiles.GENERATION, "two");
        assertThatThrownBy(() -> TlsBundle.check(badGeneration)).hasMessage(TlsFiles.GENERATION + ": not a number");

        Map<String, String> extra = bundle(ca, 2);
        extra.put("../evil", "x");
        assertThatThrownBy(() -> TlsBundle.check(extra)).hasMessageContaining("unknown TLS files [../evil]");
        assertThat(new TlsStore(state).installedGeneration()).isZero();
    }
}
