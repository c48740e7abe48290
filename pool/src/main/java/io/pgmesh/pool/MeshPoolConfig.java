package io.pgmesh.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of a {@link MeshPool}.
 *
 * @param database           database name on every node (may contain '-')
 * @param nodes              the nodes at start; change them later with {@link MeshPool#updateNodes}
 * @param logins             credentials per role; every role used by a group needs one
 * @param groups             the named groups
 * @param borrowTimeout      how long one borrow waits for a connection from one node
 * @param downNodeRetryAfter how long a node marked down is skipped before it is tried again
 * @param serverCa           the CA file (PEM) the nodes' certificates must chain to: every connection is then TLS with
 *                           the node's name checked ({@code sslmode=verify-full}); null: the driver's default
 */
public record MeshPoolConfig(
        String database,
        List<NodeEndpoint> nodes,
        Map<GroupRole, Login> logins,
        List<GroupSpec> groups,
        Duration borrowTimeout,
        Duration downNodeRetryAfter,
        java.nio.file.Path serverCa) {

    public MeshPoolConfig(String database, List<NodeEndpoint> nodes, Map<GroupRole, Login> logins,
                          List<GroupSpec> groups, Duration borrowTimeout, Duration downNodeRetryAfter) {
        this(database, nodes, logins, groups, borrowTimeout, downNodeRetryAfter, null);
    }

    public static final Duration DEFAULT_BORROW_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_DOWN_NODE_RETRY_AFTER = Duration.ofSeconds(2);

    public MeshPoolConfig {
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database must not be blank");
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one node is required");
        }
        nodes = List.copyOf(nodes);
        requireDistinctNodeNames(nodes);
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("at least one group is required");
        }
        groups = List.copyOf(groups);
        Set<String> groupNames = new HashSet<>();
        for (GroupSpec g : groups) {
            if (!groupNames.add(g.name())) {
                throw new IllegalArgumentException("duplicate group name '" + g.name() + "'");
            }
        }
        Map<GroupRole, Login> loginCopy = new EnumMap<>(GroupRole.class);
        if (logins != null) {
            logins.forEach((role, login) -> loginCopy.put(
                    Objects.requireNonNull(role, "login role"), Objects.requireNonNull(login, "login of " + role)));
        }
        for (GroupSpec g : groups) {
            if (!loginCopy.containsKey(g.role())) {
                throw new IllegalArgumentException(
                        "no login for role " + g.role() + " used by group '" + g.name() + "'");
            }
        }
        logins = Map.copyOf(loginCopy);
        if (borrowTimeout == null || borrowTimeout.isNegative() || borrowTimeout.isZero()) {
            throw new IllegalArgumentException("borrowTimeout must be positive, was " + borrowTimeout);
        }
        if (downNodeRetryAfter == null || downNodeRetryAfter.isNegative()) {
            throw new IllegalArgumentException("downNodeRetryAfter must be >= 0, was " + downNodeRetryAfter);
        }
    }

    /** A config with the default timeouts (borrow 3 s, down-node retry after 2 s). */
    public static MeshPoolConfig of(
            String database, List<NodeEndpoint> nodes, Map<GroupRole, Login> logins, List<GroupSpec> groups) {
        return new MeshPoolConfig(database, nodes, logins, groups,
                DEFAULT_BORROW_TIMEOUT, DEFAULT_DOWN_NODE_RETRY_AFTER);
    }

    public static Builder builder(String database) {
        return new Builder(database);
    }

    public MeshPoolConfig withBorrowTimeout(Duration timeout) {
        return new MeshPoolConfig(database, nodes, logins, groups, timeout, downNodeRetryAfter, serverCa);
    }

    public MeshPoolConfig withDownNodeRetryAfter(Duration retryAfter) {
        return new MeshPoolConfig(database, nodes, logins, groups, borrowTimeout, retryAfter, serverCa);
    }

    /** This config with every connection over TLS, the node's certificate verified against {@code caFile}. */
    public MeshPoolConfig withServerCa(java.nio.file.Path caFile) {
        return new MeshPoolConfig(database, nodes, logins, groups, borrowTimeout, downNodeRetryAfter,
                Objects.requireNonNull(caFile, "caFile"));
    }

    public GroupSpec group(String name) {
        for (GroupSpec g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    static void requireDistinctNodeNames(List<NodeEndpoint> nodes) {
        Set<String> names = new HashSet<>();
        for (NodeEndpoint n : nodes) {
            Objects.requireNonNull(n, "node");
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("duplicate node name '" + n.name() + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "MeshPoolConfig[database=" + database + ", nodes=" + nodes + ", logins=" + logins
                + ", groups=" + groups + ", borrowTimeout=" + borrowTimeout
                + ", downNodeRetryAfter=" + downNodeRetryAfter + ", serverCa=" + serverCa + "]";
    }

    /** Builder with the default timeouts. */
    public static final class Builder {
        private final String database;
        private final List<NodeEndpoint> nodes = new ArrayList<>();
        private final Map<GroupRole, Login> logins = new EnumMap<>(GroupRole.class);
        private final List<GroupSpec> groups = new ArrayList<>();
        private Duration borrowTimeout = DEFAULT_BORROW_TIMEOUT;
        private Duration downNodeRetryAfter = DEFAULT_DOWN_NODE_RETRY_AFTER;

        private Builder(String database) {
            this.database = database;
        }

        public Builder node(String name, String host, int port) {
            return node(new NodeEndpoint(name, host, port));
        }

        public Builder node(NodeEndpoint node) {
            nodes.add(node);
            return this;
        }

        public Builder nodes(List<NodeEndpoint> all) {
            nodes.addAll(all);
            return this;
        }

        public Builder login(GroupRole role, String user, String password) {
            logins.put(role, new Login(user, password));
            return this;
        }

        public Builder group(String name, GroupRole role, int connections, boolean autocommit) {
            return group(new GroupSpec(name, role, connections, autocommit));
        }

        public Builder group(GroupSpec group) {
            groups.add(group);
            return this;
        }

        public Builder borrowTimeout(Duration timeout) {
            this.borrowTimeout = timeout;
            return this;
        }

        public Builder downNodeRetryAfter(Duration retryAfter) {
            this.downNodeRetryAfter = retryAfter;
            return this;
        }

        public MeshPoolConfig build() {
            return new MeshPoolConfig(database, nodes, logins, groups, borrowTimeout, downNodeRetryAfter);
        }
    }
}
