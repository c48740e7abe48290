package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SysConfigLoaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NET = "system.networks[0].config.net";
    private static final String IPV4 = NET + ".ipv4";
    private static final String PART = NET + ".parts[0].ipv4";
    private static final String SCALE = "system.networks[0].config.scale";
    private static final String TABLE = "system.config.database.tables[0]";

    private static final String BASE = """
            {"system": {
              "config": {
                "network": "meshnet",
                "roles": {
                  "SYSOwner": {"id": "admin"},
                  "SYSPgDBReplication": {"id": "replicator"},
                  "SYSTestWriter": {"id": "testwriter"},
                  "SYSTestReader": {"id": "testreader"}
                },
                "database": {
                  "name": "lb-test",
                  "tables": [{"name": "table1", "columns": [
                    {"name": "id", "type": "bigserial", "primary_key": true},
                    {"name": "col1", "type": "varchar", "default": "default-value"},
                    {"name": "col2", "type": "varchar"}
                  ]}]
                }
              },
              "networks": [{
                "id": "meshnet",
                "config": {
                  "net": {
                    "ipv4": {"subnet": "172.28.5.0", "netmask": "255.255.255.0", "netbits": 24,
                             "gateway": "172.28.5.1", "hostaddress": "172.28.5.1"},
                    "domain": "pgmesh.internal",
                    "parts": [{"id": "nodes", "ipv4": {"start": "172.28.5.10", "end": "172.28.5.41"}}]
                  },
                  "scale": {"min_nodes": 3, "max_nodes": 8}
                }
              }]
            }}
            """;

    // ---- helpers ----

    private static ObjectNode base() {
        try {
            return (ObjectNode) MAPPER.readTree(BASE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode obj(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    private static SysConfig load(Consumer<ObjectNode> edit, Function<String, String> env) {
        ObjectNode root = base();
        edit.accept(root);
        return SysConfigLoader.parse(root.toString(), "test.json", env);
    }

    private static SysConfig load(Consumer<ObjectNode> edit) {
        return load(edit, name -> null);
    }

    private static List<String> problems(Consumer<ObjectNode> edit) {
        return problems(edit, name -> null);
    }

    private static List<String> problems(Consumer<ObjectNode> edit, Function<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(edit, env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    private static List<String> problemsOfText(String json) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> SysConfigLoader.parse(json, "test.json", name -> null));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    private static void setIpv4(ObjectNode root, String key, String value) {
        obj(root, "/system/networks/0/config/net/ipv4").put(key, value);
    }

    private static ObjectNode column(ObjectNode root, int i) {
        return obj(root, "/system/config/database/tables/0/columns/" + i);
    }

    // ---- the base is valid ----

    @Test
    void baseIsValid() {
        SysConfig config = load(root -> { });
        assertThat(config.subnetCidr()).isEqualTo("172.28.5.0/24");
        assertThat(config.nodeAddress(0)).hasToString("172.28.5.10");
    }

    // ---- syntax and structure ----

    @Test
    void syntaxErrorNamesLineAndColumn() {
        assertThat(problemsOfText("{\n  \"system\": {\n    \"config\": ,\n  }\n}"))
                .singleElement().asString()
                .startsWith("(syntax): line 3, column 15: invalid JSON: ");
    }

    @Test
    void duplicateKeyIsASyntaxError() {
        assertThat(problemsOfText("{\"system\": {}, \"system\": {}}"))
                .singleElement().asString().startsWith("(syntax): line 1,").contains("Duplicate field 'system'");
    }

    @Test
    void emptyDocumentAndNonObjectRoot() {
        assertThat(problemsOfText("  ")).containsExactly("(document): is empty");
        assertThat(problemsOfText("[1]")).containsExactly("(document): must be an object");
    }

    @Test
    void unknownKeyWithSuggestion() {
        assertThat(problems(root -> obj(root, "/system/config").put("netwrok", "x")))
                .containsExactly("system.config.netwrok: unknown key (did you mean 'network'?)");
        assertThat(problems(root -> {
            ObjectNode scale = obj(root, "/system/networks/0/config/scale");
            scale.remove("min_nodes");
            scale.put("minNodes", 3);
        })).containsExactly(
                SCALE + ".minNodes: unknown key (did you mean 'min_nodes'?)",
                SCALE + ".min_nodes: is required");
    }

    @Test
    void unknownKeyWithoutSuggestion() {
        assertThat(problems(root -> setIpv4(root, "broadcast", "172.28.5.255")))
                .containsExactly(IPV4 + ".broadcast: unknown key"
                        + " (expected one of [subnet, netmask, netbits, gateway, hostaddress])");
        assertThat(problems(root -> root.put("extra", 1)))
                .containsExactly("extra: unknown key (expected one of [system])");
    }

    @Test
    void requiredFields() {
        assertThat(problems(root -> obj(root, "/system/config").remove("network")))
                .containsExactly("system.config.network: is required");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/scale").remove("max_nodes")))
                .containsExactly(SCALE + ".max_nodes: is required");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/ipv4").remove("gateway")))
                .containsExactly(IPV4 + ".gateway: is required");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4").remove("end")))
                .containsExactly(PART + ".end: is required");
        assertThat(problems(root -> obj(root, "/system").remove("networks")))
                .containsExactly("system.networks: is required");
    }

    @Test
    void wrongJsonTypes() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/ipv4").put("netbits", "24")))
                .containsExactly(IPV4 + ".netbits: must be an integer");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/scale").put("min_nodes", 2.5)))
                .containsExactly(SCALE + ".min_nodes: must be an integer");
        assertThat(problems(root -> obj(root, "/system/networks/0/config").put("net", "x")))
                .containsExactly(NET + ": must be an object");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net").put("parts", "nodes")))
                .containsExactly(NET + ".parts: must be an array");
    }

    // ---- IPv4 ----

    @Test
    void ipv4Literals() {
        assertThat(problems(root -> setIpv4(root, "gateway", "172.28.5.300")))
                .containsExactly(IPV4 + ".gateway: '172.28.5.300' is not an IPv4 address (a.b.c.d)");
        assertThat(problems(root -> setIpv4(root, "subnet", "172.28.5.0/24")))
                .containsExactly(IPV4 + ".subnet: '172.28.5.0/24' is not an IPv4 address (a.b.c.d);"
                        + " give the prefix length in netbits");
    }

    @Test
    void netbitsRange() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/ipv4").put("netbits", 33)))
                .containsExactly(IPV4 + ".netbits: 33 is out of range (8..30)");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/ipv4").put("netbits", 7)))
                .containsExactly(IPV4 + ".netbits: 7 is out of range (8..30)");
    }

    @Test
    void netmaskMustMatchNetbits() {
        assertThat(problems(root -> setIpv4(root, "netmask", "255.255.0.0")))
                .containsExactly(IPV4 + ".netmask: 255.255.0.0 does not match netbits 24 (expected 255.255.255.0)");
    }

    @Test
    void netmaskIsOptional() {
        SysConfig config = load(root -> obj(root, "/system/networks/0/config/net/ipv4").remove("netmask"));
        assertThat(config.selectedNetwork().subnet().netmask()).hasToString("255.255.255.0");
    }

    @Test
    void subnetMustBeANetworkAddress() {
        assertThat(problems(root -> setIpv4(root, "subnet", "172.28.5.7")))
                .containsExactly(IPV4 + ".subnet: 172.28.5.7 has host bits set for /24 (the network address is 172.28.5.0)");
    }

    @Test
    void gatewayAndHostaddressInsideTheSubnet() {
        assertThat(problems(root -> setIpv4(root, "gateway", "172.28.6.1")))
                .containsExactly(IPV4 + ".gateway: 172.28.6.1 is outside the subnet 172.28.5.0/24");
        assertThat(problems(root -> setIpv4(root, "hostaddress", "10.0.0.1")))
                .containsExactly(IPV4 + ".hostaddress: 10.0.0.1 is outside the subnet 172.28.5.0/24");
        assertThat(problems(root -> setIpv4(root, "gateway", "172.28.5.255")))
                .containsExactly(IPV4 + ".gateway: 172.28.5.255 is the broadcast address of 172.28.5.0/24");
        assertThat(problems(root -> setIpv4(root, "gateway", "172.28.5.0")))
                .containsExactly(IPV4 + ".gateway: 172.28.5.0 is the network address of 172.28.5.0/24");
    }

    @Test
    void partInsideTheSubnet() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4").put("end", "172.28.6.41")))
                .containsExactly(PART + ".end: 172.28.6.41 is outside the subnet 172.28.5.0/24");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4").put("start", "172.27.5.10")))
                .containsExactly(PART + ".start: 172.27.5.10 is outside the subnet 172.28.5.0/24");
    }

    @Test
    void partStartNotAfterEnd() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4")
                .put("start", "172.28.5.41").put("end", "172.28.5.10")))
                .containsExactly(PART + ".end: 172.28.5.10 is before start 172.28.5.41");
    }

    @Test
    void partMustNotContainTheGateway() {
        assertThat(problems(root -> setIpv4(root, "gateway", "172.28.5.20")))
                .containsExactly(PART + ": range 172.28.5.10..172.28.5.41 contains the gateway 172.28.5.20");
        assertThat(problems(root -> setIpv4(root, "hostaddress", "172.28.5.11")))
                .containsExactly(PART + ": range 172.28.5.10..172.28.5.41 contains the hostaddress 172.28.5.11");
    }

    @Test
    void theSlotWalLimitDefaultsTo4GiBAndIsBoundedNamingItsPath() {
        assertThat(load(root -> { }).maxSlotWalKeepMb()).isEqualTo(4096);
        assertThat(load(root -> obj(root, "/system/networks/0/config").putObject("wal").put("max_slot_keep_mb", 256))
                .maxSlotWalKeepMb()).isEqualTo(256);
        assertThat(problems(root -> obj(root, "/system/networks/0/config").putObject("wal").put("max_slot_keep_mb", 8)))
                .containsExactly("system.networks[0].config.wal.max_slot_keep_mb: must be in 64..1048576 (MiB), got 8");
        assertThat(problems(root -> obj(root, "/system/networks/0/config").putObject("wal").put("keep", 8)))
                .singleElement().asString().startsWith("system.networks[0].config.wal.keep: unknown key");
    }

    @Test
    void nodeRangeMustHoldMaxNodes() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4").put("end", "172.28.5.12")))
                .containsExactly(PART + ": range 172.28.5.10..172.28.5.12 has 3 addresses, fewer than max_nodes (8)");
    }

    @Test
    void severalPartsNeedOneCalledNodes() {
        Consumer<ObjectNode> addSpare = root -> ((ArrayNode) root.at("/system/networks/0/config/net/parts"))
                .insertObject(0).put("id", "spare").putObject("ipv4")
                .put("start", "172.28.5.100").put("end", "172.28.5.120");
        SysConfig config = load(addSpare);
        assertThat(config.selectedNetwork().nodeRange().id()).isEqualTo("nodes");
        assertThat(config.nodeAddress(0)).hasToString("172.28.5.10");

        assertThat(problems(addSpare.andThen(root -> obj(root, "/system/networks/0/config/net/parts/1").put("id", "n"))))
                .containsExactly(NET + ".parts: no part with id 'nodes' (with several parts, nodes get their"
                        + " addresses from the part named 'nodes')");
        assertThat(problems(addSpare.andThen(root -> obj(root, "/system/networks/0/config/net/parts/0/ipv4")
                .put("start", "172.28.5.30"))))
                .containsExactly(NET + ".parts[1].ipv4: range 172.28.5.10..172.28.5.41 overlaps part 'spare'");
    }

    // ---- scale ----

    @Test
    void scaleLimits() {
        assertThat(problems(root -> obj(root, "/system/networks/0/config/scale").put("max_nodes", 2)))
                .containsExactly(SCALE + ".max_nodes: must be >= min_nodes (3)");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/scale").put("min_nodes", 0)))
                .containsExactly(SCALE + ".min_nodes: must be >= 1 (got 0)");
        assertThat(problems(root -> {
            obj(root, "/system/networks/0/config/net/parts/0/ipv4").put("end", "172.28.5.200");
            obj(root, "/system/networks/0/config/scale").put("max_nodes", 65);
        })).containsExactly(SCALE + ".max_nodes: must be <= 64 (got 65)");
    }

    // ---- networks ----

    @Test
    void selectedNetworkMustExist() {
        assertThat(problems(root -> obj(root, "/system/config").put("network", "other")))
                .containsExactly("system.config.network: no network with id 'other' in system.networks (ids: [meshnet])");
    }

    @Test
    void duplicateNetworkIds() {
        assertThat(problems(root -> {
            ArrayNode networks = (ArrayNode) root.at("/system/networks");
            networks.add(networks.get(0).deepCopy());
        })).containsExactly("system.networks[1].id: duplicate network id 'meshnet' (also system.networks[0])");
    }

    @Test
    void otherNetworksAreValidatedAndSelectable() {
        Consumer<ObjectNode> addSecond = root -> {
            ArrayNode networks = (ArrayNode) root.at("/system/networks");
            ObjectNode second = networks.get(0).deepCopy();
            second.put("id", "second");
            ObjectNode ip = obj(second, "/config/net/ipv4");
            ip.put("subnet", "10.99.0.0").put("netmask", "255.255.0.0").put("netbits", 16)
                    .put("gateway", "10.99.0.1").put("hostaddress", "10.99.0.1");
            obj(second, "/config/net/parts/0/ipv4").put("start", "10.99.1.0").put("end", "10.99.1.63");
            obj(second, "/config/scale").put("min_nodes", 1).put("max_nodes", 64);
            networks.add(second);
        };
        SysConfig config = load(addSecond.andThen(root -> obj(root, "/system/config").put("network", "second")));
        assertThat(config.subnetCidr()).isEqualTo("10.99.0.0/16");
        assertThat(config.nodeAddress(63)).hasToString("10.99.1.63");
        assertThat(config.minNodes()).isEqualTo(1);

        assertThat(problems(addSecond.andThen(root -> obj(root, "/system/networks/1/config/scale").put("min_nodes", 0))))
                .containsExactly("system.networks[1].config.scale.min_nodes: must be >= 1 (got 0)");
    }

    @Test
    void subnetMustNotOverlapDocker0() {
        assertThat(problems(root -> {
            setIpv4(root, "subnet", "172.16.0.0");
            setIpv4(root, "netmask", "255.240.0.0");
            obj(root, "/system/networks/0/config/net/ipv4").put("netbits", 12);
        })).containsExactly(IPV4 + ".subnet: 172.16.0.0/12 overlaps Docker's default bridge docker0 (172.17.0.0/16)");
    }

    @Test
    void networkIdAndDomain() {
        assertThat(problems(root -> {
            obj(root, "/system/networks/0").put("id", "bad net");
            obj(root, "/system/config").put("network", "bad net");
        })).containsExactly(
                "system.networks[0].id: 'bad net' is not a valid Docker network name (letters, digits, '_', '.' and '-',"
                        + " starting with a letter or digit, at most 63 characters)");
        assertThat(problems(root -> obj(root, "/system/networks/0/config/net").put("domain", "Bad_Domain")))
                .containsExactly(NET + ".domain: 'Bad_Domain' is not a valid DNS domain (lower-case labels of letters,"
                        + " digits and '-', separated by '.')");
    }

    // ---- database ----

    @Test
    void databaseName() {
        assertThat(problems(root -> obj(root, "/system/config/database").put("name", "lb test")))
                .containsExactly("system.config.database.name: 'lb test' is not a valid name (lower-case letters,"
                        + " digits, '_' and '-', starting with a letter or '_', at most 63 characters)");
    }

    @Test
    void defaultsWhenDatabaseAndRolesAreOmitted() {
        SysConfig config = load(root -> {
            obj(root, "/system/config").remove("database");
            obj(root, "/system/config").remove("roles");
        });
        assertThat(config.database()).isEqualTo("lb-test");
        assertThat(config.tables()).containsExactly(SysConfigLoader.DEFAULT_TABLE);
        assertThat(config.tables().get(0).columns()).extracting(ColumnSpec::name).containsExactly("id", "col1", "col2");
        assertThat(config.roles().owner().id()).isEqualTo("admin");
        assertThat(config.roles().replication().id()).isEqualTo("replicator");
        assertThat(config.roles().testWriter().id()).isEqualTo("testwriter");
        assertThat(config.roles().testReader().id()).isEqualTo("testreader");
    }

    @Test
    void tablesMustNotBeEmpty() {
        assertThat(problems(root -> obj(root, "/system/config/database").putArray("tables")))
                .containsExactly("system.config.database.tables: must list at least one table");
    }

    @Test
    void duplicateTableNames() {
        assertThat(problems(root -> {
            ArrayNode tables = (ArrayNode) root.at("/system/config/database/tables");
            tables.add(tables.get(0).deepCopy());
        })).containsExactly("system.config.database.tables[1].name: duplicate table 'table1'"
                + " (also system.config.database.tables[0])");
    }

    @Test
    void injectionInAColumnTypeIsRejected() {
        assertThat(problems(root -> column(root, 1).put("type", "varchar; drop table x")))
                .singleElement().asString()
                .startsWith(TABLE + ".columns[1].type: 'varchar; drop table x' is not a supported type (bigserial,");
    }

    @Test
    void injectionInAColumnNameIsRejected() {
        assertThat(problems(root -> column(root, 2).put("name", "col2\" text); drop table x; --")))
                .containsExactly(TABLE + ".columns[2].name: 'col2\" text); drop table x; --' is not a valid name"
                        + " (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 63 characters)");
    }

    @Test
    void tableSpecProblemsArePrefixedWithTheirPath() {
        assertThat(problems(root -> column(root, 0).put("default", "1")))
                .containsExactly(TABLE + ".columns[0].default: the primary key takes its default from the node's sequence");
        assertThat(problems(root -> column(root, 1).put("name", "created_ts")))
                .containsExactly(TABLE + ".columns[1].name: 'created_ts' is reserved (pgmesh adds it)");
        assertThat(problems(root -> column(root, 0).put("primary_key", false)))
                .containsExactly(TABLE + ".columns: exactly one column must be the primary key (found 0)");
        assertThat(problems(root -> obj(root, "/system/config/database/tables/0").put("name", "Table1")))
                .singleElement().asString().startsWith(TABLE + ".name: 'Table1' is not a valid name");
    }

    @Test
    void columnStructureProblemsAreNotRepeated() {
        assertThat(problems(root -> column(root, 0).put("primary_key", "yes")))
                .containsExactly(TABLE + ".columns[0].primary_key: must be true or false");
        assertThat(problems(root -> column(root, 1).remove("type")))
                .containsExactly(TABLE + ".columns[1].type: is required");
        assertThat(problems(root -> ((ArrayNode) root.at("/system/config/database/tables/0/columns")).add(5)))
                .containsExactly(TABLE + ".columns[3]: must be an object");
        assertThat(problems(root -> column(root, 1).put("colour", "red")))
                .containsExactly(TABLE + ".columns[1].colour: unknown key"
                        + " (expected one of [name, type, primary_key, not_null, default])");
    }

    @Test
    void columnDefaultsAndFlags() {
        SysConfig config = load(root -> {
            column(root, 1).put("not_null", true);
            column(root, 2).put("type", "numeric(10,2)").put("default", new java.math.BigDecimal("1.50"));
        });
        List<ColumnSpec> columns = config.tables().get(0).columns();
        assertThat(columns.get(1)).isEqualTo(new ColumnSpec("col1", "varchar", false, true, "default-value"));
        assertThat(columns.get(2).defaultValue()).isEqualTo("1.50");
    }

    @Test
    void tableNameMustLeaveRoomForReplicationNames() {
        String name = "t".repeat(46);
        assertThat(problems(root -> obj(root, "/system/config/database/tables/0").put("name", name)))
                .singleElement().asString()
                .startsWith(TABLE + ".name: '" + name + "' is too long: the subscription name 'sub_node63_node63_")
                .endsWith("would exceed 63 characters (at most 45 characters)");
        assertThat(load(root -> obj(root, "/system/config/database/tables/0").put("name", "t".repeat(45)))
                .tables().get(0).name()).hasSize(45);
    }

    // ---- roles ----

    @Test
    void roleIds() {
        assertThat(problems(root -> obj(root, "/system/config/roles/SYSTestWriter").put("id", "Writer")))
                .singleElement().asString()
                .startsWith("system.config.roles.SYSTestWriter.id: 'Writer' is not a valid name");
        assertThat(problems(root -> obj(root, "/system/config/roles/SYSTestReader").put("id", "admin")))
                .containsExactly("system.config.roles.SYSTestReader.id: 'admin' is already used by SYSOwner");
        assertThat(problems(root -> obj(root, "/system/config/roles/SYSOwner").put("id", "postgres")))
                .containsExactly("system.config.roles.SYSOwner.id: 'postgres' is reserved by PostgreSQL or the node image");
        assertThat(problems(root -> obj(root, "/system/config/roles/SYSOwner").put("id", "pg_admin")))
                .containsExactly("system.config.roles.SYSOwner.id: 'pg_admin' is reserved by PostgreSQL or the node image");
    }

    @Test
    void roleIdDefaultsPerRole() {
        SysConfig config = load(root -> obj(root, "/system/config/roles/SYSTestReader").remove("id"));
        assertThat(config.roles().testReader().id()).isEqualTo("testreader");
    }

    @Test
    void literalPassword() {
        SysConfig config = load(root -> obj(root, "/system/config/roles/SYSOwner").put("password", "lit$eral"));
        assertThat(config.roles().owner().password()).contains("lit$eral");
        assertThat(config.roles().replication().password()).isEmpty();
        assertThat(config.toString()).doesNotContain("lit$eral");
    }

    @Test
    void passwordFromASetEnvironmentVariable() {
        Map<String, String> env = Map.of("PGMESH_REPL_PASSWORD", "from-env", "SUFFIX", "42");
        SysConfig config = load(root -> {
            obj(root, "/system/config/roles/SYSPgDBReplication").put("password", "${PGMESH_REPL_PASSWORD}");
            obj(root, "/system/config/roles/SYSTestWriter").put("password", "pw-${SUFFIX}-x");
        }, env::get);
        assertThat(config.roles().replication().password()).contains("from-env");
        assertThat(config.roles().testWriter().password()).contains("pw-42-x");
        assertThat(config.toString()).doesNotContain("from-env").doesNotContain("pw-42-x");
    }

    @Test
    void passwordFromAnUnsetEnvironmentVariable() {
        assertThat(problems(root -> obj(root, "/system/config/roles/SYSPgDBReplication")
                .put("password", "${PGMESH_REPL_PASSWORD}"), name -> null))
                .containsExactly("system.config.roles.SYSPgDBReplication.password:"
                        + " environment variable PGMESH_REPL_PASSWORD is not set");
    }

    @Test
    void passwordProblemsNeverShowTheValue() {
        List<String> problems = problems(root -> {
            obj(root, "/system/config/roles/SYSOwner").put("password", 123456789);
            obj(root, "/system/config/roles/SYSTestReader").put("password", "");
        });
        assertThat(problems).containsExactly(
                "system.config.roles.SYSOwner.password: must be a string",
                "system.config.roles.SYSTestReader.password: must not be empty (omit it to have a password generated)");
        assertThat(String.join("\n", problems)).doesNotContain("123456789");
    }

    // ---- many at once, message, files ----

    @Test
    void allProblemsAreReportedAtOnce() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(root -> {
            obj(root, "/system/networks/0/config/scale").put("max_nodes", 2);
            obj(root, "/system/networks/0/config/net/ipv4").put("netbits", 33);
            column(root, 1).put("type", "varchar; drop table x");
            obj(root, "/system/config/roles/SYSTestReader").put("id", "admin");
            obj(root, "/system/config").put("netwrok", "meshnet");
        }));
        assertThat(e.problems()).hasSize(5).contains(
                SCALE + ".max_nodes: must be >= min_nodes (3)",
                IPV4 + ".netbits: 33 is out of range (8..30)",
                "system.config.roles.SYSTestReader.id: 'admin' is already used by SYSOwner",
                "system.config.netwrok: unknown key (did you mean 'network'?)");
        assertThat(e.problems()).anyMatch(p -> p.startsWith(TABLE + ".columns[1].type: 'varchar; drop table x'"));
        assertThat(e.getMessage().split(System.lineSeparator()))
                .hasSize(6)
                .startsWith("test.json: 5 problems")
                .contains(SCALE + ".max_nodes: must be >= min_nodes (3)", IPV4 + ".netbits: 33 is out of range (8..30)");
    }

    @Test
    void unreadableFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> SysConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": 1 problem")
                .hasMessageContaining("cannot read");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sysconfig.json");
        java.nio.file.Files.writeString(file, BASE);
        SysConfig config = SysConfigLoader.load(file, name -> null);
        assertThat(config.tables()).extracting(TableSpec::name).containsExactly("table1");
        assertThat(config.roles().owner().password()).isEqualTo(Optional.empty());
    }
}
