package io.pgmesh.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load-balanced JDBC pool over all nodes of a multi-master mesh, organised in named groups.
 *
 * <p>Every group has one pool per node; its {@link GroupSpec#connections() connections} are split over the nodes as
 * evenly as possible (at least one per node). {@link #borrow(String)} picks the group's next node round-robin over the
 * live nodes. A node whose pool fails to hand out a connection with a connection-class error (SQLSTATE class 08,
 * 57P01/57P02/57P03, or a pool timeout) is marked down for all groups and the next node is tried; a down node is
 * skipped until {@link MeshPoolConfig#downNodeRetryAfter()} has passed, then one borrower at a time tries it again
 * (half-open) and a success brings it back. Thread-safe.
 */
public final class MeshPool implements AutoCloseable {

    static final Logger LOG = LoggerFactory.getLogger(MeshPool.class);

    /** The pool of one (group, node) with its share of the group's connections. */
    private record Slot(NodeEndpoint node, NodeHealth health, PooledDataSource pool, int share) {
    }

    /** Immutable snapshot of nodes and pools; replaced as a whole by {@link #updateNodes}. */
    private record Topology(List<NodeEndpoint> nodes, Map<String, NodeHealth> health, Map<String, List<Slot>> slots) {
    }

    private final MeshPoolConfig config;
    private final DataSourceFactory factory;
    private final LongSupplier nanoClock;
    private final long retryAfterNanos;
    private final Map<String, GroupSpec> groups;
    private final Map<String, AtomicLong> counters;
    private final Map<String, ConcurrentHashMap<String, LongAdder>> served;
    private final Object lock = new Object();
    private volatile Topology topology;
    private volatile boolean closed;

    /** Opens a pool backed by HikariCP (one HikariDataSource per group and node). No connection is opened yet. */
    public static MeshPool open(MeshPoolConfig config) {
        return new MeshPool(config, HikariDataSourceFactory.forConfig(config), System::nanoTime);
    }

    /** Opens a pool whose per-(group, node) pools come from {@code factory}. */
    public static MeshPool open(MeshPoolConfig config, DataSourceFactory factory) {
        return new MeshPool(config, factory, System::nanoTime);
    }

    /** For tests: {@code nanoClock} replaces {@link System#nanoTime()} for the down-node retry time. */
    MeshPool(MeshPoolConfig config, DataSourceFactory factory, LongSupplier nanoClock) {
        this.config = config;
        this.factory = factory;
        this.nanoClock = nanoClock;
        this.retryAfterNanos = config.downNodeRetryAfter().toNanos();
        Map<String, GroupSpec> g = new LinkedHashMap<>();
        Map<String, AtomicLong> c = new HashMap<>();
        Map<String, ConcurrentHashMap<String, LongAdder>> s = new HashMap<>();
        for (GroupSpec spec : config.groups()) {
            g.put(spec.name(), spec);
            c.put(spec.name(), new AtomicLong());
            s.put(spec.name(), new ConcurrentHashMap<>());
        }
        this.groups = Collections.unmodifiableMap(g);
        this.counters = Map.copyOf(c);
        this.served = Map.copyOf(s);
        this.topology = build(config.nodes(), new Topology(List.of(), Map.of(), Map.of()));
    }

    // ------------------------------------------------------------------------------------------------ borrowing

    /**
     * Borrows a connection of {@code group} from the group's next live node (round-robin); on a connection-class
     * failure marks that node down and tries the next one.
     *
     * @throws IllegalArgumentException if the group is unknown
     * @throws SQLException             SQLSTATE 08001 if no node could serve, naming the group and every node with its
     *                                  error
     */
    public Lease borrow(String group) throws SQLException {
        GroupSpec spec = requireGroup(group);
        Topology topo = topology;
        if (closed) {
            throw new IllegalStateException("MeshPool is closed");
        }
        List<Slot> slots = topo.slots().get(spec.name());
        long now = nanoClock.getAsLong();
        List<Slot> candidates = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            if (!slot.health().isDown() || slot.health().retryDue(now)) {
                candidates.add(slot);
            }
        }
        long ticket = counters.get(spec.name()).getAndIncrement();
        List<String> failures = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        int size = candidates.size();
        int start = size == 0 ? 0 : (int) Math.floorMod(ticket, (long) size);
        for (int i = 0; i < size; i++) {
            Slot slot = candidates.get((start + i) % size);
            NodeHealth health = slot.health();
            boolean probe = false;
            if (health.isDown()) {
                if (!health.retryDue(nanoClock.getAsLong())) {
                    continue; // marked down meanwhile by another borrower; reported with the skipped nodes below
                }
                if (!health.tryStartProbe()) {
                    failures.add(slot.node().describe() + ": down, being retried by another borrower (last error: "
                            + health.lastError() + ")");
                    continue;
                }
                probe = true;
            }
            try {
                Connection connection = slot.pool().getConnection();
                if (probe && health.markUp()) {
                    LOG.info("pgmesh pool: node {} is back (group {})", slot.node().describe(), spec.name());
                }
                served.get(spec.name()).computeIfAbsent(slot.node().name(), k -> new LongAdder()).increment();
                return new Lease(this, spec.name(), slot.node(), connection, slot.pool());
            } catch (SQLException | RuntimeException e) {
                failures.add(slot.node().describe() + ": " + SqlStates.describe(e));
                causes.add(e);
                if (SqlStates.isConnectionFailure(e)) {
                    markDown(health, spec.name(), e);
                } else {
                    LOG.warn("pgmesh pool: group {} could not get a connection from node {}: {}",
                            spec.name(), slot.node().describe(), SqlStates.describe(e));
                }
            } finally {
                if (probe) {
                    health.endProbe();
                }
            }
        }
        // every node failed or is down: name the ones skipped as down too
        long later = nanoClock.getAsLong();
        for (Slot slot : slots) {
            NodeHealth health = slot.health();
            String prefix = slot.node().describe() + ": ";
            boolean reported = failures.stream().anyMatch(f -> f.startsWith(prefix));
            if (!reported && health.isDown()) {
                failures.add(prefix + "down, skipped (retry in " + millis(health.retryInNanos(later))
                        + " ms; last error: " + health.lastError() + ")");
            }
        }
        String message = "group '" + spec.name() + "': no node could serve a connection (" + slots.size()
                + " node" + (slots.size() == 1 ? "" : "s") + "): " + String.join("; ", failures);
        SQLException error = new SQLException(message, SqlStates.UNABLE_TO_CONNECT,
                causes.isEmpty() ? null : causes.get(causes.size() - 1));
        for (int i = 0; i < causes.size() - 1; i++) {
            error.addSuppressed(causes.get(i));
        }
        throw error;
    }

    /**
     * Borrows a connection of {@code group}, runs {@code work} on it and gives it back. A connection-class failure of
     * the work is reported via {@link Lease#failed} (evict, mark the node down) and rethrown; the work is never
     * retried, since the outcome of a write is unknown.
     */
    public <T> T inGroup(String group, SqlWork<T> work) throws SQLException {
        return inGroupServed(group, work).value();
    }

    /** Like {@link #inGroup} and also tells which node served the work. */
    public <T> Served<T> inGroupServed(String group, SqlWork<T> work) throws SQLException {
        try (Lease lease = borrow(group)) {
            try {
                T value = work.run(lease.connection());
                return new Served<>(value, lease.node().name());
            } catch (SQLException e) {
                lease.failed(e);
                throw e;
            }
        }
    }

    /** Called by {@link Lease#failed} for a connection-class error. */
    void reportNodeFailure(NodeEndpoint node, String group, SQLException error) {
        NodeHealth health = topology.health().get(node.name());
        if (health != null && health.node.equals(node)) {
            markDown(health, group, error);
        }
    }

    private void markDown(NodeHealth health, String group, Throwable error) {
        String text = SqlStates.describe(error);
        if (health.markDown(text, nanoClock.getAsLong(), retryAfterNanos)) {
            LOG.warn("pgmesh pool: node {} marked down (group {}), skipped for {} ms: {}",
                    health.node.describe(), group, millis(retryAfterNanos), text);
        } else {
            LOG.debug("pgmesh pool: node {} still down (group {}): {}", health.node.describe(), group, text);
        }
    }

    // ------------------------------------------------------------------------------------------------ observation

    /** Leases handed out so far, per group, per node name (nodes removed later keep their counts). */
    public Map<String, Map<String, Long>> servedCounts() {
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        for (String group : groups.keySet()) {
            Map<String, Long> perNode = new TreeMap<>();
            for (String node : topology.health().keySet()) {
                perNode.put(node, 0L);
            }
            served.get(group).forEach((node, adder) -> perNode.put(node, adder.sum()));
            result.put(group, Collections.unmodifiableMap(perNode));
        }
        return Collections.unmodifiableMap(result);
    }

    /** Names of the nodes currently marked down (including those due for a retry). */
    public Set<String> downNodes() {
        return topology.health().values().stream()
                .filter(NodeHealth::isDown)
                .map(h -> h.node.name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The current nodes, in order. */
    public List<NodeEndpoint> nodes() {
        return topology.nodes();
    }

    /** The group names, in configuration order. */
    public Set<String> groupNames() {
        return groups.keySet();
    }

    /** Maximum pool size per group, per node (in node order): the current split of each group's connections. */
    public Map<String, Map<String, Integer>> poolSizes() {
        Topology topo = topology;
        Map<String, Map<String, Integer>> result = new LinkedHashMap<>();
        topo.slots().forEach((group, slots) -> {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            slots.forEach(s -> sizes.put(s.node().name(), s.share()));
            result.put(group, Collections.unmodifiableMap(sizes));
        });
        return Collections.unmodifiableMap(result);
    }

    public MeshPoolConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------------ topology

    /**
     * Sets the mesh's nodes: creates pools for new nodes, closes the pools of removed nodes (a node whose host or port
     * changed counts as removed and added) and re-splits every group's connections over the new node list.
     */
    public void updateNodes(List<NodeEndpoint> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one node is required");
        }
        List<NodeEndpoint> copy = List.copyOf(nodes);
        MeshPoolConfig.requireDistinctNodeNames(copy);
        List<PooledDataSource> retired = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("MeshPool is closed");
            }
            Topology old = topology;
            Topology next = build(copy, old);
            Set<PooledDataSource> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            next.slots().values().forEach(list -> list.forEach(s -> kept.add(s.pool())));
            old.slots().values().forEach(list -> list.forEach(s -> {
                if (!kept.contains(s.pool())) {
                    retired.add(s.pool());
                }
            }));
            topology = next;
            LOG.info("pgmesh pool: nodes now {}; pool sizes {}",
                    copy.stream().map(NodeEndpoint::name).toList(), poolSizes());
        }
        retired.forEach(MeshPool::closeQuietly);
    }

    /**
     * Builds the topology for {@code nodes}, reusing the pools and health of unchanged nodes from {@code old}.
     * Creates all new pools before resizing any kept pool, so a failing factory leaves {@code old} untouched.
     */
    private Topology build(List<NodeEndpoint> nodes, Topology old) {
        Map<String, NodeHealth> health = new LinkedHashMap<>();
        for (NodeEndpoint node : nodes) {
            NodeHealth h = old.health().get(node.name());
            health.put(node.name(), h != null && h.node.equals(node) ? h : new NodeHealth(node));
        }
        Map<String, List<Slot>> slots = new LinkedHashMap<>();
        List<PooledDataSource> created = new ArrayList<>();
        List<Runnable> resizes = new ArrayList<>();
        try {
            for (GroupSpec spec : groups.values()) {
                List<Integer> shares = split(spec.connections(), nodes.size());
                Map<String, Slot> previous = new HashMap<>();
                old.slots().getOrDefault(spec.name(), List.of()).forEach(s -> previous.put(s.node().name(), s));
                List<Slot> list = new ArrayList<>(nodes.size());
                for (int i = 0; i < nodes.size(); i++) {
                    NodeEndpoint node = nodes.get(i);
                    int share = shares.get(i);
                    Slot prev = previous.get(node.name());
                    PooledDataSource pool;
                    if (prev != null && prev.node().equals(node)) {
                        pool = prev.pool();
                        if (prev.share() != share) {
                            resizes.add(() -> pool.resize(share));
                        }
                    } else {
                        pool = factory.create(node, spec, config.logins().get(spec.role()), share);
                        created.add(pool);
                    }
                    list.add(new Slot(node, health.get(node.name()), pool, share));
                }
                slots.put(spec.name(), List.copyOf(list));
            }
        } catch (RuntimeException e) {
            created.forEach(MeshPool::closeQuietly);
            throw e;
        }
        resizes.forEach(Runnable::run);
        for (NodeEndpoint node : nodes) {
            served.values().forEach(perNode -> perNode.computeIfAbsent(node.name(), k -> new LongAdder()));
        }
        return new Topology(List.copyOf(nodes), Collections.unmodifiableMap(health),
                Collections.unmodifiableMap(slots));
    }

    /**
     * Splits {@code connections} over {@code nodes} as evenly as possible, earlier nodes getting the remainder, at
     * least one each: 20 over 3 gives [7, 7, 6], 1 over 3 gives [1, 1, 1].
     */
    public static List<Integer> split(int connections, int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1, was " + connections);
        }
        int base = connections / nodes;
        int remainder = connections % nodes;
        List<Integer> shares = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            shares.add(Math.max(1, base + (i < remainder ? 1 : 0)));
        }
        return List.copyOf(shares);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Closes every pool; idempotent. */
    @Override
    public void close() {
        Topology topo;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            topo = topology;
        }
        topo.slots().values().forEach(list -> list.forEach(s -> closeQuietly(s.pool())));
    }

    public boolean isClosed() {
        return closed;
    }

    private GroupSpec requireGroup(String group) {
        GroupSpec spec = group == null ? null : groups.get(group);
        if (spec == null) {
            throw new IllegalArgumentException("unknown group '" + group + "'; groups: " + groups.keySet());
        }
        return spec;
    }

    private static void closeQuietly(PooledDataSource pool) {
        try {
            pool.close();
        } catch (RuntimeException e) {
            LOG.warn("pgmesh pool: closing {} failed: {}", pool, e.toString());
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public String toString() {
        return "MeshPool[nodes=" + topology.nodes().stream().map(NodeEndpoint::name).toList()
                + ", groups=" + groups.keySet() + ", down=" + downNodes() + (closed ? ", closed" : "") + "]";
    }
}
