package io.pgmesh.orchestrator.fake;

import io.pgmesh.orchestrator.rpc.NodeRpcException;
import io.pgmesh.protocol.ChangeHorizon;
import io.pgmesh.protocol.DatabaseSpec;
import io.pgmesh.protocol.DigestRequest;
import io.pgmesh.protocol.EnableRequest;
import io.pgmesh.protocol.ExplainRequest;
import io.pgmesh.protocol.HorizonRequest;
import io.pgmesh.protocol.Lsn;
import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NetworkTopology;
import io.pgmesh.protocol.NodeRpc;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.PeerRequest;
import io.pgmesh.protocol.PruneRequest;
import io.pgmesh.protocol.PublicationInfo;
import io.pgmesh.protocol.RepairRowsRequest;
import io.pgmesh.protocol.ReplicaTableRequest;
import io.pgmesh.protocol.ReplicationProgress;
import io.pgmesh.protocol.RowExplanation;
import io.pgmesh.protocol.RowHashRequest;
import io.pgmesh.protocol.RowHashes;
import io.pgmesh.protocol.RowStates;
import io.pgmesh.protocol.RowStatesRequest;
import io.pgmesh.protocol.RpcErrorCode;
import io.pgmesh.protocol.SlotInfo;
import io.pgmesh.protocol.SlotRequest;
import io.pgmesh.protocol.StepResult;
import io.pgmesh.protocol.SubscribeRequest;
import io.pgmesh.protocol.SubscriberProgress;
import io.pgmesh.protocol.SubscriptionInfo;
import io.pgmesh.protocol.TableDigest;
import io.pgmesh.protocol.UnsettledKeys;
import io.pgmesh.protocol.UnsettledKeysRequest;
import io.pgmesh.protocol.TableSpec;
import io.pgmesh.protocol.TopologyHost;
import io.pgmesh.protocol.TransactionWaitRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node daemon in memory: a small catalog (topology, database, tables, publications, subscriptions,
 * replication slots) that every call checks before it acts, as the real daemon does, so calling again
 * changes nothing and returns no actions. Subscribing creates the slot on the peer (unless an existing
 * slot is named), dropping a subscription drops its slot on a reachable peer; an initial copy is done
 * at once. It can be told to fail a call, or to die (its container stops) before or after a call.
 */
public final class FakeNode implements NodeRpc {

    /** What outlasts the daemon's process: compared between runs. */
    public record Catalog(String node, String database, Set<String> tables, Map<String, List<String>> publications,
                          Map<String, String> subscriptions, Set<String> slots) {
    }

    private record Subscription(String name, String peer, String table, boolean enabled, boolean synced) {
    }

    private final String name;
    private final FakeRuntime runtime;
    private NetworkTopology topology;
    private String database;
    private final Set<String> tables = new TreeSet<>();
    private final Map<String, List<String>> publications = new TreeMap<>();
    private final Map<String, Subscription> subscriptions = new TreeMap<>();
    private final Map<String, Long> slots = new TreeMap<>();
    private long lsn = 0x1000000;
    private final Map<String, String> faults = new HashMap<>();

    FakeNode(String name, FakeRuntime runtime) {
        this.name = name;
        this.runtime = runtime;
    }

    // ---- faults ----

    /** The next call of {@code method} fails with an error, changing nothing. */
    public FakeNode failOn(String method) {
        faults.put(method, "fail");
        return this;
    }

    /** The node dies (its container stops) when {@code method} is called, before it acts. */
    public FakeNode dieOn(String method) {
        faults.put(method, "die");
        return this;
    }

    /** The node dies right after it did what {@code method} asked, before it answers. */
    public FakeNode dieAfter(String method) {
        faults.put(method, "dieAfter");
        return this;
    }

    private void enter(String method) {
        if (!runtime.isRunning(name)) {
            throw FakeRuntime.unreachable(name);
        }
        String fault = faults.get(method);
        if ("fail".equals(fault)) {
            faults.remove(method);
            throw new NodeRpcException(name, RpcErrorCode.INTERNAL.code(), "[" + name + "] " + method
                    + " failed (fake fault)", null, null, null);
        }
        if ("die".equals(fault)) {
            faults.remove(method);
            runtime.kill(name);
            throw FakeRuntime.unreachable(name);
        }
    }

    private <T> T leave(String method, T answer) {
        if ("dieAfter".equals(faults.get(method))) {
            faults.remove(method);
            runtime.kill(name);
            throw FakeRuntime.unreachable(name);
        }
        return answer;
    }

    public Catalog catalog() {
        Map<String, String> subs = new TreeMap<>();
        subscriptions.values().forEach(s -> subs.put(s.name(), (s.enabled() ? "enabled" : "disabled")
                + (s.synced() ? "" : ", copying")));
        return new Catalog(topology == null ? null : topology.nodeName() + " of " + topology.hosts().stream()
                .map(TopologyHost::name).toList(), database, Set.copyOf(tables), Map.copyOf(publications),
                Map.copyOf(subs), Set.copyOf(slots.keySet()));
    }

    private StepResult result(String method, List<String> actions) {
        if (!actions.isEmpty()) {
            lsn += 0x100;
        }
        return leave(method, new StepResult(name, actions));
    }

    private void requireDatabase(String db) {
        if (database == null || !database.equals(db)) {
            throw new NodeRpcException(name, RpcErrorCode.INVALID_REQUEST.code(), "[" + name + "] database " + db
                    + " does not exist; call initDatabase first", null, "database", null);
        }
    }

    // ---- NodeRpc ----

    @Override
    public StepResult updateNetworkTopology(NetworkTopology update) {
        enter("updateNetworkTopology");
        List<String> actions = new ArrayList<>();
        if (!update.equals(topology)) {
            topology = update;
            actions.add("stored topology: " + update.nodeName() + " among " + update.hosts().size() + " hosts");
        }
        return result("updateNetworkTopology", actions);
    }

    @Override
    public StepResult initDatabase(DatabaseSpec spec) {
        enter("initDatabase");
        List<String> actions = new ArrayList<>();
        if (database == null) {
            database = spec.name();
            actions.add("created database " + spec.name() + " and its roles");
        }
        return result("initDatabase", actions);
    }

    @Override
    public StepResult createReplicaTable(ReplicaTableRequest request) {
        enter("createReplicaTable");
        requireDatabase(request.database());
        if (topology == null) {
            throw new NodeRpcException(name, RpcErrorCode.INVALID_REQUEST.code(), "[" + name
                    + "] no topology yet", null, null, null);
        }
        TableSpec table = request.table();
        List<String> actions = new ArrayList<>();
        if (tables.add(table.name())) {
            actions.add("created table " + table.name());
        }
        String pub = MeshNames.publication(name, table.name());
        if (!publications.containsKey(pub)) {
            publications.put(pub, List.of(table.name()));
            actions.add("created publication " + pub);
        }
        if (request.subscribeToEarlierNodes()) {
            for (TopologyHost peer : topology.hosts()) {
                if (peer.index() < topology.nodeIndex()) {
                    subscribe(peer.name(), table.name(), null, true, false, actions);
                }
            }
        }
        return result("createReplicaTable", actions);
    }

    @Override
    public StepResult subscribeToNode(SubscribeRequest request) {
        enter("subscribeToNode");
        requireDatabase(request.database());
        List<String> actions = new ArrayList<>();
        for (String table : request.tables()) {
            if (!tables.contains(table)) {
                throw new NodeRpcException(name, RpcErrorCode.INVALID_REQUEST.code(), "[" + name + "] table " + table
                        + " does not exist; call createReplicaTable first", null, null, null);
            }
            subscribe(request.peer().name(), table, request.options().existingSlot(), request.options().enabled(),
                    request.options().copyData(), actions);
        }
        return result("subscribeToNode", actions);
    }

    private void subscribe(String peer, String table, String existingSlot, boolean enabled, boolean copy,
                           List<String> actions) {
        String sub = MeshNames.subscription(name, peer, table);
        if (subscriptions.containsKey(sub)) {
            return;
        }
        FakeNode publisher = runtime.reachable(peer).orElseThrow(() -> FakeRuntime.unreachable(peer));
        if (existingSlot == null) {
            publisher.slots.putIfAbsent(sub, publisher.lsn);
        } else if (!publisher.slots.containsKey(existingSlot)) {
            throw new NodeRpcException(name, RpcErrorCode.INTERNAL.code(), "[" + name + "] replication slot "
                    + existingSlot + " does not exist on " + peer, null, null, null);
        }
        subscriptions.put(sub, new Subscription(sub, peer, table, enabled, true));
        actions.add("created subscription " + sub + (copy ? " (with a copy)" : "") + (enabled ? "" : " (disabled)"));
    }

    @Override
    public NodeStatus status() {
        enter("status");
        List<PublicationInfo> pubs = publications.entrySet().stream()
                .map(e -> new PublicationInfo(e.getKey(), e.getValue())).toList();
        List<SubscriptionInfo> subs = subscriptions.values().stream().map(s -> new SubscriptionInfo(s.name(), s.peer(),
                MeshNames.publication(s.peer(), s.table()), s.enabled(),
                s.enabled() ? SubscriptionInfo.STREAMING : SubscriptionInfo.DISABLED, null, null,
                s.synced() ? 1 : 0, 1)).toList();
        return leave("status", new NodeStatus(topology == null ? null : topology.nodeName(),
                topology == null ? -1 : topology.nodeIndex(), topology == null ? null : topology.cluster(), true,
                "17.0 (fake)", database, pubs, subs, Map.of()).withTls(new NodeStatus.TlsState(tlsGeneration(),
                "2027-01-01T00:00:00Z", "1")));
    }

    @Override
    public ReplicationProgress replicationProgress() {
        enter("replicationProgress");
        Lsn current = new Lsn(lsn);
        List<SubscriberProgress> subscribers = new ArrayList<>();
        for (FakeNode other : runtime.daemons()) {
            if (other != this && runtime.isRunning(other.name)) {
                other.subscriptions.values().stream().filter(s -> s.peer().equals(name) && s.enabled())
                        .forEach(s -> subscribers.add(new SubscriberProgress(s.name(), "streaming", current, current,
                                current)));
            }
        }
        return leave("replicationProgress", new ReplicationProgress(name, current, subscribers));
    }

    @Override
    public ChangeHorizon changeHorizon(HorizonRequest request) {
        enter("changeHorizon");
        int index = topology == null ? -1 : topology.nodeIndex();
        return leave("changeHorizon", new ChangeHorizon(name, index, "2026-01-01T00:00:00.000000Z", null));
    }

    @Override
    public TableDigest digestTable(DigestRequest request) {
        enter("digestTable");
        requireDatabase(request.database());
        return leave("digestTable", new TableDigest(name, request.table(), 0, "0", List.of(), null));
    }

    @Override
    public StepResult continueKeyRange(io.pgmesh.protocol.KeyRangeRequest request) {
        enter("continueKeyRange");
        requireDatabase(request.database());
        return leave("continueKeyRange", new StepResult(name, List.of()));
    }

    @Override
    public UnsettledKeys unsettledKeys(UnsettledKeysRequest request) {
        enter("unsettledKeys");
        requireDatabase(request.database());
        return leave("unsettledKeys", new UnsettledKeys(name, request.table(), List.of(), true));
    }

    @Override
    public RowHashes rowHashes(RowHashRequest request) {
        throw new UnsupportedOperationException("rowHashes: the fake holds no rows");
    }

    @Override
    public SlotInfo ensureSlot(SlotRequest request) {
        enter("ensureSlot");
        requireDatabase(request.database());
        boolean created = !slots.containsKey(request.slotName());
        if (created) {
            lsn += 0x100;
            slots.put(request.slotName(), lsn);
        }
        return leave("ensureSlot", new SlotInfo(name, request.slotName(), new Lsn(slots.get(request.slotName())),
                created));
    }

    /** The TLS generation installTls last installed (0: none). */
    private long tlsGeneration;

    public synchronized long tlsGeneration() {
        return tlsGeneration;
    }

    @Override
    public StepResult installTls(io.pgmesh.protocol.TlsInstallRequest request) {
        enter("installTls");
        long generation = Long.parseLong(request.files().get(io.pgmesh.protocol.TlsFiles.GENERATION).strip());
        List<String> actions = new ArrayList<>();
        synchronized (this) {
            if (generation > tlsGeneration) {
                tlsGeneration = generation;
                actions.add("install TLS generation " + generation);
            }
        }
        return result("installTls", actions);
    }

    @Override
    public StepResult dropSlot(SlotRequest request) {
        enter("dropSlot");
        List<String> actions = new ArrayList<>();
        if (slots.remove(request.slotName()) != null) {
            actions.add("dropped slot " + request.slotName());
        }
        return result("dropSlot", actions);
    }

    @Override
    public StepResult setSubscriptionsEnabled(EnableRequest request) {
        enter("setSubscriptionsEnabled");
        List<String> actions = new ArrayList<>();
        for (String table : request.tables()) {
            String sub = MeshNames.subscription(name, request.peer(), table);
            Subscription s = subscriptions.get(sub);
            if (s != null && s.enabled() != request.enabled()) {
                subscriptions.put(sub, new Subscription(sub, s.peer(), s.table(), request.enabled(), s.synced()));
                actions.add((request.enabled() ? "enabled " : "disabled ") + sub);
            }
        }
        return result("setSubscriptionsEnabled", actions);
    }

    @Override
    public StepResult dropSubscriptionsTo(PeerRequest request) {
        enter("dropSubscriptionsTo");
        List<String> actions = new ArrayList<>();
        for (String table : request.tables()) {
            String sub = MeshNames.subscription(name, request.peer(), table);
            if (subscriptions.remove(sub) != null) {
                runtime.reachable(request.peer()).ifPresent(p -> p.slots.remove(sub));
                actions.add("dropped subscription " + sub);
            }
        }
        return result("dropSubscriptionsTo", actions);
    }

    @Override
    public RowStates rowStates(RowStatesRequest request) {
        throw new UnsupportedOperationException("rowStates: the fake holds no rows");
    }

    @Override
    public StepResult repairRows(RepairRowsRequest request) {
        throw new UnsupportedOperationException("repairRows: the fake holds no rows");
    }

    @Override
    public RowExplanation explainRow(ExplainRequest request) {
        throw new UnsupportedOperationException("explainRow: the fake holds no rows");
    }

    @Override
    public StepResult awaitTransactionsStartedBefore(TransactionWaitRequest request) {
        enter("awaitTransactionsStartedBefore");
        return result("awaitTransactionsStartedBefore", List.of());
    }

    @Override
    public StepResult pruneHistory(PruneRequest request) {
        enter("pruneHistory");
        return result("pruneHistory", List.of());
    }

    // ---- transfers: a job's file is bytes in memory; a dump's bytes name the mesh's content ----

    private final Map<String, io.pgmesh.protocol.TransferJob> jobs = new TreeMap<>();
    private final Map<String, java.io.ByteArrayOutputStream> files = new TreeMap<>();
    /** Bytes a dump's file gets beyond its content line (to test chunking). */
    public int dumpPadding = 0;

    @Override
    public io.pgmesh.protocol.TransferJob startDump(io.pgmesh.protocol.DumpRequest request) {
        enter("startDump");
        List<io.pgmesh.protocol.TableChecksum> sums = request.tables().stream().map(t -> runtime.content
                .getOrDefault(t, new io.pgmesh.protocol.TableChecksum(t, 0, "0"))).toList();
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes(("PGDMP fake " + sums + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        file.writeBytes(new byte[dumpPadding]);
        files.put(request.job(), file);
        io.pgmesh.protocol.TransferJob job = new io.pgmesh.protocol.TransferJob(name, request.job(), "dump", "done",
                file.size(), sha256(file.toByteArray()), sums, "17.6", null);
        jobs.put(request.job(), job);
        return leave("startDump", job);
    }

    @Override
    public io.pgmesh.protocol.TransferJob startLoad(io.pgmesh.protocol.LoadRequest request) {
        enter("startLoad");
        byte[] bytes = files.getOrDefault(request.job(), new java.io.ByteArrayOutputStream()).toByteArray();
        String error = bytes.length != request.bytes() ? "the file has " + bytes.length + " bytes"
                : !sha256(bytes).equals(request.sha256()) ? "SHA-256 differs" : null;
        if (error == null) {
            request.expected().forEach(t -> runtime.content.put(t.table(), t));
        }
        io.pgmesh.protocol.TransferJob job = new io.pgmesh.protocol.TransferJob(name, request.job(), "load",
                error == null ? "done" : "failed", bytes.length, null, error == null ? request.expected() : List.of(),
                "17.6", error);
        jobs.put(request.job(), job);
        return leave("startLoad", job);
    }

    @Override
    public io.pgmesh.protocol.TransferJob transferJob(io.pgmesh.protocol.JobRequest request) {
        enter("transferJob");
        io.pgmesh.protocol.TransferJob job = jobs.get(request.job());
        if (job == null) {
            throw new NodeRpcException(name, RpcErrorCode.INVALID_REQUEST.code(), "[" + name + "] no job "
                    + request.job(), null, null, null);
        }
        return leave("transferJob", job);
    }

    @Override
    public io.pgmesh.protocol.FileChunk readJobChunk(io.pgmesh.protocol.ChunkRequest request) {
        enter("readJobChunk");
        byte[] all = files.get(request.job()).toByteArray();
        int from = (int) request.offset();
        int to = Math.min(all.length, from + request.length());
        return leave("readJobChunk", new io.pgmesh.protocol.FileChunk(request.job(), request.offset(),
                java.util.Arrays.copyOfRange(all, from, to), all.length));
    }

    @Override
    public StepResult writeJobChunk(io.pgmesh.protocol.ChunkWrite request) {
        enter("writeJobChunk");
        java.io.ByteArrayOutputStream file = files.computeIfAbsent(request.job(), j -> new java.io.ByteArrayOutputStream());
        if (request.offset() != file.size()) {
            throw new NodeRpcException(name, RpcErrorCode.INVALID_REQUEST.code(), "[" + name + "] gap", null, null,
                    null);
        }
        file.writeBytes(request.data());
        return result("writeJobChunk", List.of("received " + request.data().length + " bytes"));
    }

    @Override
    public StepResult removeJob(io.pgmesh.protocol.JobRequest request) {
        enter("removeJob");
        boolean had = jobs.remove(request.job()) != null | files.remove(request.job()) != null;
        return result("removeJob", had ? List.of("removed job " + request.job()) : List.of());
    }

    /** Jobs whose file this node still holds. */
    public java.util.Set<String> jobFiles() {
        return java.util.Set.copyOf(files.keySet());
    }

    @Override
    public io.pgmesh.protocol.TableChecksums tableChecksums(io.pgmesh.protocol.ChecksumRequest request) {
        enter("tableChecksums");
        return leave("tableChecksums", new io.pgmesh.protocol.TableChecksums(name, request.tables().stream()
                .map(t -> runtime.content.getOrDefault(t, new io.pgmesh.protocol.TableChecksum(t, 0, "0"))).toList()));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
