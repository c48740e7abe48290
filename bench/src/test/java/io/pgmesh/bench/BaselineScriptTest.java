package io.pgmesh.bench;

import io.pgmesh.node.pg.ServerConfig;
import io.pgmesh.node.pg.TableDdl;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigLoader;
import io.pgmesh.protocol.MeshNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline must do what pgmesh does, minus what only pgmesh does: its PostgreSQL settings, pg_hba file, table
 * and key ranges are compared with the node daemon's own renderings (no Docker needed).
 */
class BaselineScriptTest {

    private static final Path SCRIPT = Path.of("baseline-mesh.sh");
    private static final Path LOG = Path.of("target", "baseline-script-test.log");

    /** Where the daemon installs its TLS material; the script's TLS mode puts the files there too. */
    private static final Path DAEMON_TLS_DIR = io.pgmesh.node.DaemonSettings.fromEnv(
            Map.of(io.pgmesh.protocol.RpcAuth.ENV, "x".repeat(io.pgmesh.protocol.RpcAuth.MIN_LENGTH))).tlsDir();

    private static String script(String... args) {
        return script(Map.of(), args);
    }

    private static String script(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return Processes.require(command, env, LOG, Duration.ofSeconds(30)).output();
    }

    /** The TLS mode (no files are read by the printing commands). */
    private static String tlsScript(String... args) {
        return script(Map.of("BASELINE_TLS_DIR", "/nonexistent/pgmesh-bench-tls"), args);
    }

    @Test
    void postgresSettingsAreTheDaemons() {
        String expected = ServerConfig.renderSettings(ServerConfig.Sizing.forMesh(8, 1), 4096,
                Path.of("/etc/postgresql/17/main/pgmesh_hba.conf"));
        assertThat(script("settings")).isEqualTo(expected);
    }

    @Test
    void hbaIsTheDaemonsWithoutTls() {
        // the native mesh is the daemon's without what pgmesh adds, TLS included (bench/run measures TLS apart)
        String daemons = ServerConfig.renderHba("replicator");
        List<String> withoutTls = daemons.lines().filter(l -> !l.contains(" cert"))
                .map(l -> l.replaceFirst("^hostssl ", "host ").replaceAll("\\s+", " ")).toList();
        assertThat(script("hba").lines().map(l -> l.replaceAll("\\s+", " ")).toList()).isEqualTo(withoutTls);
    }

    @Test
    void withTlsTheSettingsAreTheDaemonsWithItsTlsSettings() {
        String expected = ServerConfig.renderSettings(ServerConfig.Sizing.forMesh(8, 1), 4096,
                Path.of("/etc/postgresql/17/main/pgmesh_hba.conf"), DAEMON_TLS_DIR);
        assertThat(tlsScript("settings")).isEqualTo(expected)
                .isEqualTo(script("settings") + ServerConfig.renderTlsSettings(DAEMON_TLS_DIR));
    }

    @Test
    void withTlsTheHbaIsTheDaemons() {
        assertThat(tlsScript("hba")).isEqualTo(ServerConfig.renderHba("replicator"));
    }

    @Test
    void withTlsSubscriptionsLogInAsTheDaemonsDoWithoutPassword() {
        String conninfoOptions = new io.pgmesh.node.pg.PeerTls(DAEMON_TLS_DIR).conninfoOptions();
        // the conninfo sits in a SQL literal: the libpq quotes are doubled there
        String literal = io.pgmesh.node.pg.Sql.literal(conninfoOptions);
        String inSql = literal.substring(1, literal.length() - 1);
        String sql = tlsScript("subscriptions", "1", "3");
        assertThat(sql.lines().filter(l -> l.startsWith("CREATE SUBSCRIPTION")).toList()).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("user=replicator" + inSql + "' PUBLICATION ")
                        .doesNotContain("password"));
        assertThat(script(Map.of("BASELINE_REPL_PASSWORD", "pw"), "subscriptions", "1", "3"))
                .contains("CONNECTION 'host=172.28.161.10 port=5432 dbname=lb-test user=replicator password=pw'"
                        + " PUBLICATION pub_node0_table1 WITH (copy_data = false, origin = none);")
                .doesNotContain("sslmode");
    }

    @Test
    void theSetupSqlIsTheSameWithAndWithoutTls() {
        Map<String, String> passwords = Map.of("BASELINE_REPL_PASSWORD", "a", "BASELINE_WRITER_PASSWORD", "b",
                "BASELINE_READER_PASSWORD", "c", "BASELINE_OWNER_PASSWORD", "d");
        Map<String, String> withTls = new java.util.HashMap<>(passwords);
        withTls.put("BASELINE_TLS_DIR", "/nonexistent/pgmesh-bench-tls");
        assertThat(script(withTls, "sql", "1")).isEqualTo(script(passwords, "sql", "1"));
    }

    @Test
    void tlsFilesGoToTheImagesPostgresUser() throws Exception {
        String text = java.nio.file.Files.readString(SCRIPT);
        assertThat(text).contains("postgres_ids=" + io.pgmesh.orchestrator.docker.NodeImage.POSTGRES_UID + ":"
                + io.pgmesh.orchestrator.docker.NodeImage.POSTGRES_GID + " ");
        assertThat(text).contains("tls_files=\"" + String.join(" ", io.pgmesh.protocol.TlsFiles.CA,
                io.pgmesh.protocol.TlsFiles.CRL, io.pgmesh.protocol.TlsFiles.SERVER_CERT,
                io.pgmesh.protocol.TlsFiles.SERVER_KEY, io.pgmesh.protocol.TlsFiles.REPLICATOR_CERT,
                io.pgmesh.protocol.TlsFiles.REPLICATOR_KEY) + "\"");
        assertThat(text).contains("/run/secrets/" + io.pgmesh.protocol.TlsFiles.DELIVERY_PREFIX);
    }

    @Test
    void tableIsTheDaemonsWithTheNodesKeyRange() {
        SysConfig config = SysConfigLoader.load(Path.of("..", "sysconfig.json"));
        String sql = script("sql", "3");
        String create = sql.substring(sql.indexOf("CREATE TABLE"), sql.indexOf(");", sql.indexOf("CREATE TABLE")) + 1);
        assertThat(normalize(create)).isEqualTo(normalize(TableDdl.createTable(config.tables().get(0))));
        assertThat(normalize(sql)).contains(normalize(TableDdl.alterKeyRange("table1_id_seq", 3)
                .replace("\"public\".\"table1_id_seq\"", "public.table1_id_seq")));
        assertThat(sql).contains("MINVALUE " + MeshNames.firstKey(3) + " MAXVALUE " + MeshNames.lastKey(3));
        assertThat(sql).contains("CREATE PUBLICATION " + MeshNames.publication("node3", "table1"));
    }

    private static String normalize(String sql) {
        return sql.replace("\"", "").replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
    }
}
