package io.pgmesh.pool;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** A database-free mesh: a {@link DataSourceFactory} of fake pools handing out proxy Connections. */
final class FakeMesh implements DataSourceFactory {

    /** Behaviour of a node's getConnection, for every group. */
    interface Behaviour {
        void onGetConnection(FakePool pool) throws SQLException;
    }

    final List<FakePool> created = new CopyOnWriteArrayList<>();
    final Map<String, Behaviour> nodeBehaviour = new ConcurrentHashMap<>();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public PooledDataSource create(NodeEndpoint node, GroupSpec group, Login login, int maxConnections) {
        FakePool pool = new FakePool(this, node, group, login, maxConnections);
        created.add(pool);
        return pool;
    }

    void failNode(String node, String sqlState) {
        nodeBehaviour.put(node, p -> {
            throw new SQLException("connection to " + node + " refused", sqlState);
        });
    }

    void healNode(String node) {
        nodeBehaviour.remove(node);
    }

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    /** The live (not closed) pool of group on node; fails if none or several. */
    FakePool pool(String group, String node) {
        List<FakePool> found = created.stream()
                .filter(p -> !p.closed.get() && p.group.name().equals(group) && p.node.name().equals(node))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one open pool " + group + "/" + node + ", found " + found);
        }
        return found.get(0);
    }

    int attempts(String node) {
        return created.stream().filter(p -> p.node.name().equals(node)).mapToInt(p -> p.attempts.get()).sum();
    }

    static NodeEndpoint node(String name, int port) {
        return new NodeEndpoint(name, "127.0.0.1", port);
    }

    static List<NodeEndpoint> nodes(int count) {
        List<NodeEndpoint> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(node("n" + i, 55000 + i));
        }
        return list;
    }

    static final class FakePool implements PooledDataSource {
        final FakeMesh mesh;
        final NodeEndpoint node;
        final GroupSpec group;
        final Login login;
        final int initialMax;
        volatile int max;
        final List<Integer> resizes = new CopyOnWriteArrayList<>();
        final List<Connection> evicted = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger handedOut = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();
        final AtomicInteger closeCalls = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        FakePool(FakeMesh mesh, NodeEndpoint node, GroupSpec group, Login login, int max) {
            this.mesh = mesh;
            this.node = node;
            this.group = group;
            this.login = login;
            this.initialMax = max;
            this.max = max;
        }

        @Override
        public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            if (closed.get()) {
                throw new SQLException("pool " + this + " is closed");
            }
            Behaviour b = mesh.nodeBehaviour.get(node.name());
            if (b != null) {
                b.onGetConnection(this);
            }
            handedOut.incrementAndGet();
            return fakeConnection(this);
        }

        @Override
        public DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            return getConnection();
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public void evict(Connection connection) {
            evicted.add(connection);
        }

        @Override
        public void resize(int maxConnections) {
            resizes.add(maxConnections);
            max = maxConnections;
        }

        @Override
        public int maxConnections() {
            return max;
        }

        @Override
        public void close() {
            closeCalls.incrementAndGet();
            closed.set(true);
        }

        @Override
        public String toString() {
            return "fake-" + group.name() + "-" + node.name();
        }
    }

    private static final AtomicInteger CONNECTION_IDS = new AtomicInteger();

    static Connection fakeConnection(FakePool pool) {
        int id = CONNECTION_IDS.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(FakeMesh.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        if (closed.compareAndSet(false, true)) {
                            pool.returned.incrementAndGet();
                        }
                        yield null;
                    }
                    case "isClosed" -> closed.get();
                    case "getAutoCommit" -> pool.group.autocommit();
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "fake-connection-" + id + "@" + pool;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
