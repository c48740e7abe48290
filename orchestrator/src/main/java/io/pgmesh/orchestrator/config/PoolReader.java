package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.pgmesh.orchestrator.config.JsonWalker.child;
import static io.pgmesh.orchestrator.config.JsonWalker.index;

/**
 * Reads {@code system.config.pool}: the named connection groups of the load-balanced pool.
 * Absent, the groups of the original example apply: writer1 20, writer2 10, reader1 24, reader2 48.
 */
final class PoolReader {

    static final List<PoolGroupConfig> DEFAULT_GROUPS = List.of(
            new PoolGroupConfig("writer1", true, 20, true),
            new PoolGroupConfig("writer2", true, 10, true),
            new PoolGroupConfig("reader1", false, 24, true),
            new PoolGroupConfig("reader2", false, 48, true));
    static final int MAX_CONNECTIONS = 1000;
    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    private final JsonWalker w;

    PoolReader(JsonWalker w) {
        this.w = w;
    }

    /** The groups, or null when a problem was recorded. */
    List<PoolGroupConfig> read(ObjectNode pool, String path) {
        String groupsPath = child(path, "groups");
        ArrayNode array = w.arrayField(pool, path, "groups", false);
        if (array == null) {
            return w.failedAtOrAbove(groupsPath) ? null : DEFAULT_GROUPS;
        }
        if (array.isEmpty()) {
            w.problem(groupsPath, "must list at least one group");
            return null;
        }
        int before = w.count();
        List<PoolGroupConfig> groups = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            PoolGroupConfig group = group(array, i, groupsPath, seen);
            if (group != null) {
                groups.add(group);
            }
        }
        return w.count() != before ? null : List.copyOf(groups);
    }

    private PoolGroupConfig group(ArrayNode array, int i, String groupsPath, Map<String, Integer> seen) {
        String path = index(groupsPath, i);
        ObjectNode obj = w.object(array.get(i), path, List.of("id", "role", "connections", "autocommit"));
        if (obj == null) {
            return null;
        }
        String id = w.string(obj, path, "id", true);
        if (id != null && !GROUP_ID.matcher(id).matches()) {
            w.problem(child(path, "id"), "'" + JsonWalker.printable(id)
                    + "' is not a valid group id (letters, digits, '_' and '-', starting with a letter, at most 40)");
        } else if (id != null && seen.putIfAbsent(id, i) != null) {
            w.problem(child(path, "id"), "duplicate group '" + id + "' (also " + index(groupsPath, seen.get(id)) + ")");
        }
        String role = w.string(obj, path, "role", true);
        if (role != null && !role.equals("writer") && !role.equals("reader")) {
            w.problem(child(path, "role"), "'" + JsonWalker.printable(role) + "' must be 'writer' or 'reader'");
        }
        Integer connections = w.integer(obj, path, "connections", true);
        if (connections != null && (connections < 1 || connections > MAX_CONNECTIONS)) {
            w.problem(child(path, "connections"), connections + " is out of range (1.." + MAX_CONNECTIONS + ")");
        }
        boolean autocommit = w.bool(obj, path, "autocommit", true);
        if (id == null || role == null || connections == null) {
            return null;
        }
        return new PoolGroupConfig(id, role.equals("writer"), connections, autocommit);
    }
}
