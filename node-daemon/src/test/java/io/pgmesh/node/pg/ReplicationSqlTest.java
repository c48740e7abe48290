package io.pgmesh.node.pg;

import io.pgmesh.protocol.Credentials;
import io.pgmesh.protocol.SubscriptionOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationSqlTest {

    private static final String CONNINFO = "host='10.254.0.10' port=5432 dbname='db' user='rep' password='p'";

    @Test
    void defaultOptionsRenderTheMeshMembersSubscriptionAsBefore() {
        assertThat(ReplicationSql.createSubscription("sub_node1_node0_t", CONNINFO, "pub_node0_t",
                SubscriptionOptions.DEFAULT)).isEqualTo("CREATE SUBSCRIPTION \"sub_node1_node0_t\" CONNECTION '"
                + CONNINFO.replace("'", "''") + "' PUBLICATION \"pub_node0_t\" WITH (copy_data = false, origin = none)");
    }

    @Test
    void aJoinersFirstSubscriptionCopiesFromAnExistingSlot() {
        assertThat(ReplicationSql.createSubscription("sub_node2_node0_t", CONNINFO, "pub_node0_t",
                new SubscriptionOptions(true, "sub_node2_node0_t", true)))
                .endsWith(" PUBLICATION \"pub_node0_t\" WITH (copy_data = true, create_slot = false,"
                        + " slot_name = 'sub_node2_node0_t', origin = none, enabled = true)");
    }

    @Test
    void otherSubscriptionsOfAJoinerStartDisabledWithoutCopy() {
        assertThat(ReplicationSql.createSubscription("sub_node2_node1_t", CONNINFO, "pub_node1_t",
                new SubscriptionOptions(false, "sub_node2_node1_t", false)))
                .endsWith("WITH (copy_data = false, create_slot = false, slot_name = 'sub_node2_node1_t',"
                        + " origin = none, enabled = false)");
        assertThat(ReplicationSql.createSubscription("s", CONNINFO, "p", new SubscriptionOptions(true, null, true)))
                .endsWith("WITH (copy_data = true, origin = none, enabled = true)");
    }

    @Test
    void slotNamesAllowOnlyLowerCaseLettersDigitsAndUnderscore() {
        assertThat(ReplicationSql.slotNameProblem("sub_node2_node0_table1")).isEmpty();
        assertThat(ReplicationSql.slotNameProblem("sub_node-2_node0_t")).get().asString().contains("slot name");
        assertThat(ReplicationSql.slotNameProblem("Sub")).isPresent();
        assertThat(ReplicationSql.slotNameProblem("")).isPresent();
        assertThat(ReplicationSql.slotNameProblem("x".repeat(64))).isPresent();
        assertThatThrownBy(() -> ReplicationSql.createSubscription("s", CONNINFO, "p",
                new SubscriptionOptions(false, "a'; DROP", true))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enableDetachAndDropQuoteTheSubscription() {
        assertThat(ReplicationSql.enableSubscription("sub_a_b_t", true)).isEqualTo("ALTER SUBSCRIPTION \"sub_a_b_t\" ENABLE");
        assertThat(ReplicationSql.enableSubscription("sub_a_b_t", false)).isEqualTo("ALTER SUBSCRIPTION \"sub_a_b_t\" DISABLE");
        assertThat(ReplicationSql.detachSlot("sub_a_b_t")).isEqualTo("ALTER SUBSCRIPTION \"sub_a_b_t\" SET (slot_name = NONE)");
        assertThat(ReplicationSql.dropSubscription("sub_a_b_t")).isEqualTo("DROP SUBSCRIPTION \"sub_a_b_t\"");
        assertThatThrownBy(() -> ReplicationSql.dropSubscription("x\"; DROP TABLE t; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void slotFunctionsTakeTheirValuesAsParameters() {
        assertThat(ReplicationSql.createLogicalSlot())
                .isEqualTo("SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')");
        assertThat(ReplicationSql.dropSlot()).isEqualTo("SELECT pg_drop_replication_slot(?)");
        assertThat(ReplicationSql.terminateBackend()).isEqualTo("SELECT pg_terminate_backend(?)");
    }

    @Test
    void findsTheHostOfASubscriptionsConninfo() {
        String conninfo = ReplicationSetup.conninfo("10.254.0.11", "db", new Credentials("rep", "p' host=x"),
                new PeerTls(java.nio.file.Path.of("/s/tls")));
        assertThat(ReplicationSql.conninfoHost(conninfo)).contains("10.254.0.11");
        assertThat(ReplicationSql.conninfoHost("dbname=x host=10.0.0.5 port=5432")).contains("10.0.0.5");
        assertThat(ReplicationSql.conninfoHost("dbname='a host=b'")).isEmpty();
        assertThat(ReplicationSql.conninfoHost(null)).isEmpty();
    }

    @Test
    void anExistingSlotMustBeALogicalPgoutputSlotOfTheDatabase() {
        assertThat(ReplicationSetup.slotProblem(new Catalog.SlotRow("s", "logical", "pgoutput", "db", null, "0/1"), "db"))
                .isNull();
        assertThat(ReplicationSetup.slotProblem(new Catalog.SlotRow("s", "physical", null, null, null, null), "db"))
                .contains("physical");
        assertThat(ReplicationSetup.slotProblem(new Catalog.SlotRow("s", "logical", "test_decoding", "db", null, "0/1"),
                "db")).contains("test_decoding");
        assertThat(ReplicationSetup.slotProblem(new Catalog.SlotRow("s", "logical", "pgoutput", "other", null, "0/1"),
                "db")).contains("other");
    }
}
