package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTest {

    @Test
    void identifiersAreValidatedAndAlwaysQuoted() {
        assertThat(Sql.ident("lb-test")).isEqualTo("\"lb-test\"");
        assertThat(Sql.table("table1")).isEqualTo("\"public\".\"table1\"");
    }

    @Test
    void identifiersRejectInjectionAttempts() {
        for (String bad : new String[]{"a\"; DROP TABLE x; --", "Table1", "x y", "", "1abc", "a'b", "a\0b",
                "a".repeat(64)}) {
            assertThatThrownBy(() -> Sql.ident(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Sql.ident(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalsDoubleSingleQuotes() {
        assertThat(Sql.literal("default-value")).isEqualTo("'default-value'");
        assertThat(Sql.literal("x'); DROP ROLE postgres; --")).isEqualTo("'x''); DROP ROLE postgres; --'");
        assertThat(Sql.literal("back\\slash")).isEqualTo("'back\\slash'");
        assertThat(Sql.literal("")).isEqualTo("''");
    }

    @Test
    void literalsRejectNulAndNull() {
        assertThatThrownBy(() -> Sql.literal("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sql.literal(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conninfoValuesEscapeBackslashAndQuote() {
        assertThat(Sql.conninfoValue("pw")).isEqualTo("'pw'");
        assertThat(Sql.conninfoValue("a'b\\c d")).isEqualTo("'a\\'b\\\\c d'");
        assertThatThrownBy(() -> Sql.conninfoValue("a\0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscriptionConninfoQuotesEveryValueThenTheWholeLiteral() {
        String conninfo = ReplicationSetup.conninfo("10.1.0.5", "lb-test",
                new io.pgmesh.protocol.Credentials("repl", "it's password=evil"),
                new PeerTls(java.nio.file.Path.of("/s/it's")));
        // the replication role logs in by certificate: no password in the conninfo, whatever the credentials hold
        assertThat(conninfo).isEqualTo("host='10.1.0.5' port=5432 dbname='lb-test' user='repl' sslmode=verify-full"
                + " sslrootcert='/s/it\\'s/ca.crt' sslcrl='/s/it\\'s/crl.pem' sslcert='/s/it\\'s/replicator.crt'"
                + " sslkey='/s/it\\'s/replicator.key'");
        assertThat(conninfo).doesNotContain("password");
        assertThat(Sql.literal(conninfo)).startsWith("'host=''10.1.0.5'' port=5432 dbname=''lb-test'' user=''repl''")
                .contains("sslrootcert=''/s/it\\''s/ca.crt''");
    }
}
