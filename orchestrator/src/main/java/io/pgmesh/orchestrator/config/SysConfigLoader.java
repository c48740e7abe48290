package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pgmesh.protocol.ColumnSpec;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.SqlNames;
import io.pgmesh.protocol.TableSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgmesh.orchestrator.config.JsonWalker.child;
import static io.pgmesh.orchestrator.config.JsonWalker.index;

/**
 * Reads sysconfig.json. This class (with {@link NetworkReader} for {@code system.networks}) is the one place that
 * holds the config's defaults and rules; the model records only carry values. Every problem is reported with
 * its JSON path, all of them at once, in one {@link ConfigException}.
 *
 * <p>A password may reference environment variables as {@code ${NAME}}; they are resolved at load time.
 */
public final class SysConfigLoader {

    public static final String DEFAULT_DATABASE = "lb-test";
    public static final String DEFAULT_OWNER = "admin";
    public static final String DEFAULT_REPLICATOR = "replicator";
    public static final String DEFAULT_TEST_WRITER = "testwriter";
    public static final String DEFAULT_TEST_READER = "testreader";
    /** The table used when {@code system.config.database.tables} is absent. */
    public static final TableSpec DEFAULT_TABLE = new TableSpec("table1", List.of(
            new ColumnSpec("id", "bigserial", true, false, null),
            new ColumnSpec("col1", "varchar", false, false, "default-value"),
            new ColumnSpec("col2", "varchar", false, false, null)));
    /** Upper bound for max_nodes. */
    public static final int MAX_NODES = 64;

    private static final int MAX_IDENTIFIER = 63;
    /** Names PostgreSQL reserves for roles, and the superuser of the node image. */
    private static final Set<String> RESERVED_ROLES =
            Set.of("public", "none", "current_user", "session_user", "current_role", "postgres");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private final JsonWalker w = new JsonWalker();
    private final Function<String, String> env;

    private SysConfigLoader(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    public static SysConfig load(Path file) throws ConfigException {
        return load(file, System::getenv);
    }

    /** @param env environment lookup for {@code ${NAME}} references (null result: not set) */
    public static SysConfig load(Path file, Function<String, String> env) throws ConfigException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file.toString(), List.of("(file): cannot read: " + e));
        }
        return parse(json, file.toString(), env);
    }

    /** @param source where the text came from, for the exception message */
    public static SysConfig parse(String json, String source) throws ConfigException {
        return parse(json, source, System::getenv);
    }

    public static SysConfig parse(String json, String source, Function<String, String> env) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigException(source, List.of("(syntax): " + where + "invalid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(source, List.of("(document): is empty"));
        }
        SysConfigLoader loader = new SysConfigLoader(env);
        SysConfig config = loader.read(root, source);
        if (!loader.w.problems().isEmpty() || config == null) {
            throw new ConfigException(source, loader.w.problems());
        }
        return config;
    }

    private SysConfig read(JsonNode root, String source) {
        ObjectNode top = w.object(root, "", List.of("system"));
        ObjectNode system = w.objectField(top, "", "system", top != null, List.of("config", "networks", "runtime"));
        RuntimeConfig runtime = new RuntimeReader(w, env).read(system, "system");
        String configPath = "system.config";
        ObjectNode config = w.objectField(system, "system", "config", system != null,
                List.of("network", "roles", "database", "pool"));
        String networkId = w.string(config, configPath, "network", config != null);
        Roles roles = null;
        DatabaseConfig database = null;
        List<PoolGroupConfig> poolGroups = null;
        if (config != null) {
            poolGroups = new PoolReader(w).read(w.objectField(config, configPath, "pool", false, List.of("groups")),
                    child(configPath, "pool"));
            roles = roles(w.objectField(config, configPath, "roles", false,
                    List.of("SYSOwner", "SYSPgDBReplication", "SYSTestWriter", "SYSTestReader")), child(configPath, "roles"));
            database = database(w.objectField(config, configPath, "database", false,
                    List.of("name", "tables")), child(configPath, "database"));
        }
        ArrayNode networkArray = w.arrayField(system, "system", "networks", system != null);
        NetworkReader.Result networks = new NetworkReader(w).read(networkArray, "system.networks");
        if (networkId != null && networkArray != null && !networks.ids().contains(networkId) && !networks.idFailed()) {
            w.problem(child(configPath, "network"), "no network with id '" + JsonWalker.printable(networkId)
                    + "' in system.networks (ids: " + networks.ids() + ")");
        }
        if (!w.problems().isEmpty() || networkId == null || roles == null || database == null || poolGroups == null
                || runtime == null) {
            return null;
        }
        return new SysConfig(networkId, roles, database, networks.networks(), poolGroups, runtime, source);
    }

    // ---- roles ----

    private Roles roles(ObjectNode obj, String path) {
        int before = w.count();
        Map<String, String> usedBy = new HashMap<>();
        RoleConfig owner = role(obj, path, "SYSOwner", DEFAULT_OWNER, usedBy);
        RoleConfig replication = role(obj, path, "SYSPgDBReplication", DEFAULT_REPLICATOR, usedBy);
        RoleConfig writer = role(obj, path, "SYSTestWriter", DEFAULT_TEST_WRITER, usedBy);
        RoleConfig reader = role(obj, path, "SYSTestReader", DEFAULT_TEST_READER, usedBy);
        if (w.count() != before || owner == null || replication == null || writer == null || reader == null) {
            return null;
        }
        return new Roles(owner, replication, writer, reader);
    }

    private RoleConfig role(ObjectNode roles, String rolesPath, String key, String defaultId, Map<String, String> usedBy) {
        String path = child(rolesPath, key);
        ObjectNode obj = w.objectField(roles, rolesPath, key, false, List.of("id", "password"));
        String id = w.string(obj, path, "id", false);
        String idPath = child(path, "id");
        if (id == null && !w.failedAtOrAbove(idPath)) {
            id = defaultId;
        }
        if (id != null) {
            Optional<String> problem = SqlNames.problem(id);
            if (problem.isEmpty() && (RESERVED_ROLES.contains(id) || id.startsWith("pg_"))) {
                problem = Optional.of("'" + id + "' is reserved by PostgreSQL or the node image");
            }
            problem.ifPresent(p -> w.problem(idPath, p));
            String other = problem.isPresent() ? null : usedBy.putIfAbsent(id, key);
            if (other != null) {
                w.problem(idPath, "'" + id + "' is already used by " + other);
            }
        }
        String password = password(w.string(obj, path, "password", false), child(path, "password"));
        return id == null ? null : new RoleConfig(id, Optional.ofNullable(password));
    }

    /** The password with {@code ${NAME}} resolved; null when absent or wrong (problem recorded). */
    private String password(String raw, String path) {
        if (raw == null) {
            return null;
        }
        Matcher m = ENV_REFERENCE.matcher(raw);
        StringBuilder resolved = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                w.problem(path, "environment variable " + m.group(1) + " is not set");
                ok = false;
                value = "";
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        m.appendTail(resolved);
        if (!ok) {
            return null;
        }
        if (resolved.isEmpty()) {
            w.problem(path, "must not be empty (omit it to have a password generated)");
            return null;
        }
        if (resolved.indexOf("\0") >= 0) {
            w.problem(path, "must not contain a NUL character");
            return null;
        }
        return resolved.toString();
    }

    // ---- database ----

    private DatabaseConfig database(ObjectNode obj, String path) {
        int before = w.count();
        String name = w.string(obj, path, "name", false);
        String namePath = child(path, "name");
        if (name == null && !w.failedAtOrAbove(namePath)) {
            name = DEFAULT_DATABASE;
        }
        if (name != null) {
            SqlNames.problem(name).ifPresent(p -> w.problem(namePath, p));
        }
        String tablesPath = child(path, "tables");
        ArrayNode array = w.arrayField(obj, path, "tables", false);
        List<TableSpec> tables = new ArrayList<>();
        if (array == null) {
            if (!w.failedAtOrAbove(tablesPath)) {
                tables.add(DEFAULT_TABLE);
            }
        } else if (array.isEmpty()) {
            w.problem(tablesPath, "must list at least one table");
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < array.size(); i++) {
                TableSpec table = table(array.get(i), index(tablesPath, i));
                if (table == null) {
                    continue;
                }
                tables.add(table);
                Integer first = table.name() == null ? null : seen.putIfAbsent(table.name(), i);
                if (first != null) {
                    w.problem(child(index(tablesPath, i), "name"), "duplicate table '" + table.name()
                            + "' (also " + index(tablesPath, first) + ")");
                }
            }
        }
        return w.count() != before ? null : new DatabaseConfig(name, tables);
    }

    private TableSpec table(JsonNode node, String path) {
        ObjectNode obj = w.object(node, path, List.of("name", "columns"));
        if (obj == null) {
            return null;
        }
        String name = w.string(obj, path, "name", true);
        String columnsPath = child(path, "columns");
        ArrayNode array = w.arrayField(obj, path, "columns", true);
        List<ColumnSpec> columns = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            columns.add(column(array.get(i), index(columnsPath, i)));
        }
        TableSpec table = new TableSpec(name, columns);
        for (String problem : table.problems()) {
            int colon = problem.indexOf(": ");
            String at = child(path, problem.substring(0, colon));
            boolean structural = at.equals(columnsPath) && w.failedAtOrBelow(columnsPath);
            if (!w.failedAtOrAbove(at) && !structural) {
                w.problem(at, problem.substring(colon + 2));
            }
        }
        tableNameLength(name, child(path, "name"));
        return table;
    }

    /** Replication object names are built from the table name; PostgreSQL would silently truncate them. */
    private void tableNameLength(String name, String path) {
        if (name == null || !SqlNames.isValid(name)) {
            return;
        }
        String longest = MeshNames.subscription(MeshNames.nodeName(MAX_NODES - 1), MeshNames.nodeName(MAX_NODES - 1), name);
        if (longest.length() > MAX_IDENTIFIER) {
            w.problem(path, "'" + name + "' is too long: the subscription name '" + longest + "' would exceed "
                    + MAX_IDENTIFIER + " characters (at most " + (MAX_IDENTIFIER - (longest.length() - name.length()))
                    + " characters)");
        }
    }

    /** The column as read; a placeholder with nulls when it is not an object (the problem is recorded). */
    private ColumnSpec column(JsonNode node, String path) {
        ObjectNode obj = w.object(node, path, List.of("name", "type", "primary_key", "not_null", "default"));
        if (obj == null) {
            return new ColumnSpec(null, null, false, false, null);
        }
        return new ColumnSpec(
                w.string(obj, path, "name", true),
                w.string(obj, path, "type", true),
                w.bool(obj, path, "primary_key", false),
                w.bool(obj, path, "not_null", false),
                w.scalarText(obj, path, "default"));
    }
}
