package io.pgmesh.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.RuntimeConfig;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.docker.DockerEngine;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.docker.Labels;
import io.pgmesh.orchestrator.runtime.Endpoint;
import io.pgmesh.orchestrator.runtime.NodeContainer;
import io.pgmesh.orchestrator.runtime.NodeContainerSpec;
import io.pgmesh.orchestrator.runtime.NodeRuntime;
import io.pgmesh.orchestrator.runtime.NodeVolume;
import io.pgmesh.orchestrator.wait.Poll;
import io.pgmesh.protocol.NodeException;
import io.pgmesh.protocol.RpcAuth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Nodes as services of an existing Docker Swarm (docker-java, through one manager): one replica per node pinned to
 * its host, where its data volume lives; peers find each other by service name on an attachable overlay; ports
 * published in host mode on the node's host, which the orchestrator learns from the Swarm. What must outlive the
 * services (a node's host and ports, retired indexes) is kept in the Swarm's store ({@link SwarmRecords}). Nothing is
 * ever rescheduled onto another host: a node's data lives on its host.
 */
public final class SwarmRuntime implements NodeRuntime {

    /** How long a node's task may take to run (the first start on a host pulls the image). */
    static final Duration TASK_RUNNING_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration TASK_STOPPED_TIMEOUT = Duration.ofSeconds(120);
    private static final int FIRST_PG_PORT = 25432;
    private static final int FIRST_RPC_PORT = 26432;
    private static final int PORT_PAIRS = 1000;

    private final RuntimeConfig.Swarm config;
    private final DockerClient manager;
    private final SwarmHosts hosts;
    private final NodeServices services;
    private final SwarmRecords records;
    private final SwarmImages images;
    private final Consumer<String> log;
    private final Map<String, DockerClient> hostEngines = new ConcurrentHashMap<>();
    private volatile List<SwarmHost> knownHosts = List.of();

    SwarmRuntime(RuntimeConfig.Swarm config, DockerClient manager, DockerClient local, Consumer<String> log) {
        this.config = config;
        this.manager = manager;
        this.hosts = new SwarmHosts(manager, config.manager());
        this.services = new NodeServices(manager);
        this.records = new SwarmRecords(manager);
        this.images = new SwarmImages(local, manager, config.registry(), log);
        this.log = log;
    }

    /** Connects to the configured manager and checks that it is an active Swarm manager. */
    public static SwarmRuntime connect(RuntimeConfig.Swarm config, DockerClient local, Consumer<String> log) {
        DockerClient manager = DockerEngine.connect(config.manager(), config.tlsCertDir(),
                "the Swarm manager (system.runtime.manager)");
        SwarmRuntime runtime = new SwarmRuntime(config, manager, local, log);
        runtime.hosts.requireManager();
        return runtime;
    }

    /** The Swarm's hosts as its managers see them now. */
    public List<SwarmHost> hosts() {
        List<SwarmHost> list = hosts.list();
        knownHosts = list;
        return list;
    }

    /**
     * Fails with a usage error unless {@code hostname} can take a new node now (a ready, active host of the Swarm):
     * checked before anything starts, so a mistyped {@code --host} changes nothing.
     */
    public void requireHostForNewNode(String hostname) {
        SwarmHosts.pick(hosts(), Map.of(), hostname);
    }

    // ---- the cluster's network ----

    @Override
    public void preflight(String cluster, String networkName, SysConfig sysConfig, Set<String> containerNames) {
        for (Service s : manager.listServicesCmd().exec()) {
            Map<String, String> labels = s.getSpec().getLabels();
            if (containerNames.contains(s.getSpec().getName())
                    && (labels == null || !cluster.equals(labels.get(Labels.CLUSTER)))) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "the Swarm already has a"
                        + " service named " + s.getSpec().getName() + " that is not a node of cluster " + cluster
                        + "; remove it (docker service rm " + s.getSpec().getName() + ") or use another --cluster", null);
            }
        }
        Ipv4Net subnet = config.network().subnet();
        for (Network n : manager.listNetworksCmd().exec()) {
            if (n.getLabels() != null && cluster.equals(n.getLabels().get(Labels.CLUSTER))) {
                continue;
            }
            for (Ipv4Net other : subnets(n)) {
                if (other.overlaps(subnet)) {
                    throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                            "system.runtime.network.subnet: " + subnet + " overlaps network " + n.getName() + " ("
                                    + other + ") of the Swarm; pick a free subnet", null);
                }
            }
        }
        List<SwarmHost> all = hosts();
        log.accept("[swarm] manager " + config.manager() + ": " + all.size() + " host(s) " + describe(all));
        if (all.stream().noneMatch(h -> h.ready() && h.active())) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    "the Swarm has no ready, active host for a node: " + describe(all), null);
        }
    }

    /** "h1 (10.0.0.5, ready), h2 (10.0.0.6, down)". */
    static String describe(List<SwarmHost> hosts) {
        return hosts.stream().map(h -> h.hostname() + " (" + h.address() + ", " + (h.ready() ? "ready" : "down")
                + (h.active() ? "" : ", not active") + ")").collect(Collectors.joining(", "));
    }

    private static List<Ipv4Net> subnets(Network n) {
        if (n.getIpam() == null || n.getIpam().getConfig() == null) {
            return List.of();
        }
        List<Ipv4Net> nets = new ArrayList<>();
        for (Network.Ipam.Config c : n.getIpam().getConfig()) {
            try {
                if (c.getSubnet() != null) {
                    nets.add(Ipv4Net.of(c.getSubnet()));
                }
            } catch (IllegalArgumentException ipv6OrOdd) {
                // not an IPv4 subnet: cannot overlap ours
            }
        }
        return nets;
    }

    @Override
    public void ensureNetwork(String cluster, String networkName, String subnetCidr, String gateway, int targetNodes) {
        if (findNetwork(cluster).isPresent()) {
            return;
        }
        RuntimeConfig.OverlayConfig overlay = config.network();
        log.accept("[network] creating overlay " + networkName + " (" + overlay.subnet() + ", tasks from "
                + overlay.ipRange() + ", MTU " + overlay.mtu() + ")");
        try {
            manager.createNetworkCmd().withName(networkName).withDriver("overlay").withAttachable(true)
                    .withLabels(Labels.forNetwork(cluster, targetNodes))
                    .withOptions(Map.of("com.docker.network.driver.mtu", Integer.toString(overlay.mtu())))
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                            .withSubnet(overlay.subnet().cidr()).withIpRange(overlay.ipRange().cidr())))
                    .exec();
        } catch (ConflictException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "the Swarm already has a"
                    + " network named " + networkName + " that is not cluster " + cluster + "'s", e);
        }
    }

    private Optional<Network> findNetwork(String cluster) {
        return manager.listNetworksCmd().withFilter("label", Labels.clusterFilter(cluster)).exec().stream()
                .filter(n -> "overlay".equals(n.getDriver())).findFirst();
    }

    @Override
    public boolean hasNetwork(String cluster) {
        return findNetwork(cluster).isPresent();
    }

    @Override
    public Optional<Integer> targetNodes(String cluster) {
        return findNetwork(cluster).map(n -> n.getLabels().get(Labels.TARGET_NODES)).map(Integer::valueOf);
    }

    /** Removes the overlay and the cluster's RPC secret (the services must be gone). */
    @Override
    public List<String> removeNetwork(String cluster) {
        List<String> removed = new ArrayList<>();
        for (Network n : manager.listNetworksCmd().withFilter("label", Labels.clusterFilter(cluster)).exec()) {
            log.accept("[network] removing " + n.getName());
            Poll.until("network " + n.getName() + " removed (its tasks' endpoints gone)", TASK_STOPPED_TIMEOUT,
                    Duration.ofMillis(500), () -> {
                        try {
                            manager.removeNetworkCmd(n.getId()).exec();
                            return Optional.of(true);
                        } catch (NotFoundException gone) {
                            return Optional.of(true);
                        } catch (DockerException inUse) {
                            return Optional.empty();
                        }
                    });
            removed.add(n.getName());
        }
        for (String secret : records.removeRpcSecret(cluster)) {
            log.accept("[secret] removed " + secret);
        }
        return removed;
    }

    // ---- nodes ----

    @Override
    public List<NodeContainer> list(String cluster) {
        Function<String, SwarmHost> byId = hostsById();
        return services.list(cluster).stream().map(s -> services.view(s, byId))
                .sorted(java.util.Comparator.comparingInt(NodeContainer::index)).toList();
    }

    private Function<String, SwarmHost> hostsById() {
        Map<String, SwarmHost> map = hosts().stream().collect(Collectors.toMap(SwarmHost::id, h -> h));
        return map::get;
    }

    @Override
    public NodeContainer inspect(String serviceId) {
        return services.view(manager.inspectServiceCmd(serviceId).exec(), hostsById());
    }

    @Override
    public NodeContainer create(NodeContainerSpec spec) {
        Placement placement = ensurePlacement(spec);
        Optional<Service> existing = services.find(spec.containerName());
        if (existing.isPresent()) {
            Map<String, String> labels = existing.get().getSpec().getLabels();
            if (labels == null || !spec.cluster().equals(labels.get(Labels.CLUSTER))) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "the Swarm already has a"
                        + " service named " + spec.containerName() + " that is not a node of cluster " + spec.cluster()
                        + "; remove it (docker service rm " + spec.containerName() + ") or use another --cluster", null);
            }
            return start(existing.get().getId());
        }
        List<NodeServiceSpec.SecretFile> secrets = new ArrayList<>();
        for (Map.Entry<String, String> secret : spec.secrets().entrySet()) {
            if (!secret.getKey().equals(RpcAuth.ENV)) {
                throw new IllegalArgumentException("the Swarm runtime knows no secret " + secret.getKey());
            }
            Secret rpc = records.ensureRpcSecret(spec.cluster(), secret.getValue());
            secrets.add(new NodeServiceSpec.SecretFile(RpcAuth.ENV, rpc.getId(), rpc.getSpec().getName(),
                    SwarmRecords.RPC_SECRET_FILE));
        }
        secrets.addAll(tlsFiles(spec, placement));
        String image = publishImage(spec.image());
        log.accept(NodeException.prefixed(spec.node(), "creating service " + spec.containerName() + " on host "
                + placement.hostname() + " (PostgreSQL port " + placement.pgPort() + ", RPC port "
                + placement.rpcPort() + ")"));
        String id = manager.createServiceCmd(NodeServiceSpec.of(spec, image, placement, secrets, 1)).exec().getId();
        return awaitRunning(id, spec.node());
    }

    /**
     * The node's TLS files as Swarm secrets, issued for its host's address and name (where clients reach its published
     * ports), owned by the image's postgres user, mode 0400. Files of an earlier service of the node go first.
     */
    private List<NodeServiceSpec.SecretFile> tlsFiles(NodeContainerSpec spec, Placement placement) {
        SwarmHost host = hosts().stream().filter(h -> h.id().equals(placement.hostId())).findFirst()
                .orElseThrow(() -> new IllegalStateException(NodeException.prefixed(spec.node(), "its host "
                        + placement.hostname() + " has left the Swarm")));
        Map<String, String> files = spec.files().issue(List.of(host.address(), host.hostname()));
        records.removeTlsFiles(spec.cluster(), spec.node());
        String generation = files.getOrDefault(io.pgmesh.protocol.TlsFiles.GENERATION, "0").strip();
        List<NodeServiceSpec.SecretFile> secrets = new ArrayList<>();
        for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
            String fileName = io.pgmesh.protocol.TlsFiles.DELIVERY_PREFIX + file.getKey();
            Secret s = records.createTlsFile(spec.cluster(), spec.node(), generation, file.getKey(), file.getValue());
            secrets.add(new NodeServiceSpec.SecretFile(null, s.getId(), s.getSpec().getName(), fileName,
                    io.pgmesh.orchestrator.docker.NodeImage.POSTGRES_UID,
                    io.pgmesh.orchestrator.docker.NodeImage.POSTGRES_GID, 0400L));
        }
        return secrets;
    }

    /** The node's kept placement, or a new one: its host (given, or the least used) and free ports. */
    private Placement ensurePlacement(NodeContainerSpec spec) {
        Optional<Placement> kept = records.placement(spec.cluster(), spec.node());
        if (kept.isPresent()) {
            if (spec.host() != null && !spec.host().equals(kept.get().hostname())) {
                throw new io.pgmesh.orchestrator.cluster.UsageException("--host", "" + spec.node() + "'s data lives on "
                        + kept.get().hostname() + ", not " + spec.host());
            }
            return kept.get();
        }
        List<Placement> placements = records.placements(spec.cluster());
        Map<String, Long> perHost = placements.stream()
                .collect(Collectors.groupingBy(Placement::hostId, Collectors.counting()));
        SwarmHost host = SwarmHosts.pick(hosts(), perHost, spec.host());
        int[] ports = freePorts(host);
        Placement placement = new Placement(spec.cluster(), spec.node(), spec.index(), host.id(), host.hostname(),
                ports[0], ports[1]);
        records.savePlacement(placement);
        return records.placement(spec.cluster(), spec.node()).orElse(placement);
    }

    /** A PostgreSQL and an RPC port used by no service of the Swarm and no kept placement on that host. */
    private int[] freePorts(SwarmHost host) {
        Set<Integer> used = new HashSet<>();
        for (Service s : manager.listServicesCmd().exec()) {
            if (s.getSpec().getEndpointSpec() != null && s.getSpec().getEndpointSpec().getPorts() != null) {
                for (PortConfig p : s.getSpec().getEndpointSpec().getPorts()) {
                    used.add(p.getPublishedPort());
                }
            }
        }
        for (Secret s : manager.listSecretsCmd().exec()) {
            Placement p = s.getSpec() == null ? null : Placement.of(s.getSpec().getLabels());
            if (p != null && p.hostId().equals(host.id())) {
                used.add(p.pgPort());
                used.add(p.rpcPort());
            }
        }
        return FreePorts.pick(used, FIRST_PG_PORT, FIRST_RPC_PORT, PORT_PAIRS);
    }

    /** Waits until the service's task runs; fails with the task's error and log when it keeps failing. */
    private NodeContainer awaitRunning(String serviceId, String node) {
        long since = System.currentTimeMillis();
        try {
            return Poll.until(NodeException.prefixed(node, "task running"), TASK_RUNNING_TIMEOUT,
                    Duration.ofMillis(500), () -> {
                        NodeContainer view = inspect(serviceId);
                        if (view.running()) {
                            return Optional.of(view);
                        }
                        List<Task> failed = manager.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                                .filter(t -> t.getStatus() != null && (t.getStatus().getState() == TaskState.FAILED
                                        || t.getStatus().getState() == TaskState.REJECTED))
                                .filter(t -> createdAfter(t, since)).toList();
                        if (failed.size() >= 3) {
                            Task last = failed.get(failed.size() - 1);
                            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                                    NodeException.prefixed(node, "service " + view.containerName() + " failed "
                                            + failed.size() + " times on " + view.host() + ": "
                                            + last.getStatus().getState().getValue() + ": " + last.getStatus().getErr()),
                                    lastLogLines(serviceId, 20), null);
                        }
                        return Optional.empty();
                    });
        } catch (Poll.TimeoutException e) {
            NodeContainer view = inspect(serviceId);
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED, e.getMessage()
                    + " (state: " + view.state() + ", host " + view.host() + ")", lastLogLines(serviceId, 20), e);
        }
    }

    private static boolean createdAfter(Task t, long millis) {
        try {
            return t.getCreatedAt() == null || java.time.Instant.parse(t.getCreatedAt()).toEpochMilli() >= millis - 2000;
        } catch (RuntimeException unparsable) {
            return true;
        }
    }

    @Override
    public String imageOf(NodeContainer node) {
        return manager.inspectServiceCmd(node.containerId()).exec().getSpec().getTaskTemplate().getContainerSpec()
                .getImage();
    }

    @Override
    public boolean runsImage(NodeContainer node, String image) {
        return imageOf(node).equals(image);
    }

    @Override
    public String publishImage(String localImage) {
        return images.publish(localImage);
    }

    @Override
    public NodeContainer start(String serviceId) {
        NodeContainer before = inspect(serviceId);
        services.scale(serviceId, 1);
        return awaitRunning(serviceId, before.node());
    }

    /** Scales the service to 0 and waits until its container has stopped (PostgreSQL shut down, volume free). */
    @Override
    public void stop(NodeContainer node) {
        try {
            services.scale(node.containerId(), 0);
        } catch (NotFoundException alreadyGone) {
            return;
        }
        awaitNoLiveTask(node);
    }

    private void awaitNoLiveTask(NodeContainer node) {
        Function<String, SwarmHost> byId = hostsById();
        Optional<Placement> placement = Optional.ofNullable(
                Placement.of(manager.inspectServiceCmd(node.containerId()).exec().getSpec().getLabels()));
        if (placement.isPresent() && byId.apply(placement.get().hostId()) != null
                && !byId.apply(placement.get().hostId()).ready()) {
            log.accept(NodeException.prefixed(node.node(), "host " + placement.get().hostname() + " is down: its"
                    + " task stops when the host is back"));
            return;
        }
        Poll.until(NodeException.prefixed(node.node(), "task stopped"), TASK_STOPPED_TIMEOUT, Duration.ofMillis(500),
                () -> services.hasLiveTask(node.containerId()) ? Optional.empty() : Optional.of(true));
    }

    @Override
    public void remove(NodeContainer node) {
        log.accept(NodeException.prefixed(node.node(), "removing service " + node.containerName()));
        stop(node);
        String cluster = null;
        try {
            Map<String, String> labels = manager.inspectServiceCmd(node.containerId()).exec().getSpec().getLabels();
            cluster = labels == null ? null : labels.get(Labels.CLUSTER);
            manager.removeServiceCmd(node.containerId()).exec();
        } catch (NotFoundException alreadyGone) {
            // the goal
        }
        if (cluster != null) {
            records.removeTlsFiles(cluster, node.node());
        }
    }

    @Override
    public List<String> removeAll(String cluster) {
        List<String> names = new ArrayList<>();
        for (NodeContainer node : list(cluster)) {
            remove(node);
            names.add(node.containerName());
        }
        return names;
    }

    // ---- node data ----

    @Override
    public List<NodeVolume> volumes(String cluster) {
        return records.placements(cluster).stream()
                .map(p -> new NodeVolume(p.volumeName(), p.node(), p.index(), p.pgPort(), p.rpcPort())).toList();
    }

    @Override
    public void removeVolume(String cluster, String node) {
        Optional<Placement> placement = records.placement(cluster, node);
        if (placement.isEmpty()) {
            return;
        }
        deleteVolume(placement.get());
        records.removePlacement(cluster, node);
    }

    private void deleteVolume(Placement p) {
        SwarmHost host = hosts().stream().filter(h -> h.id().equals(p.hostId())).findFirst()
                .orElseThrow(() -> new IllegalStateException(NodeException.prefixed(p.node(), "its host "
                        + p.hostname() + " has left the Swarm: delete volume " + p.volumeName() + " there by hand")));
        if (!host.ready()) {
            throw new IllegalStateException(NodeException.prefixed(p.node(), "its host " + p.hostname() + " is down:"
                    + " its data (volume " + p.volumeName() + ") can only be deleted when the host is back"));
        }
        log.accept(NodeException.prefixed(p.node(), "deleting its data volume " + p.volumeName() + " on "
                + p.hostname()));
        DockerClient engine = hostEngine(host);
        Poll.until(NodeException.prefixed(p.node(), "volume " + p.volumeName() + " deleted (no container uses it)"),
                TASK_STOPPED_TIMEOUT, Duration.ofMillis(500), () -> {
                    try {
                        engine.removeVolumeCmd(p.volumeName()).exec();
                        return Optional.of(true);
                    } catch (NotFoundException gone) {
                        return Optional.of(true);
                    } catch (ConflictException inUse) {
                        return Optional.empty();
                    }
                });
    }

    /** The engine of one Swarm host: the manager's scheme, port and client certificate at the host's address. */
    private DockerClient hostEngine(SwarmHost host) {
        URI manager = URI.create(config.manager());
        if (!"tcp".equals(manager.getScheme())) {
            throw new IllegalStateException("deleting data on host " + host.hostname() + " needs its engine: with a"
                    + " unix:// manager only the manager's own host is reachable");
        }
        return hostEngines.computeIfAbsent(host.id(), id -> DockerEngine.connect("tcp://" + host.address() + ":"
                + manager.getPort(), config.tlsCertDir(), "the engine of Swarm host " + host.hostname()));
    }

    @Override
    public List<String> removeData(String cluster) {
        List<String> removed = new ArrayList<>();
        for (Placement p : records.placements(cluster)) {
            deleteVolume(p);
            records.removePlacement(cluster, p.node());
            removed.add(p.volumeName());
        }
        records.removeRecords(cluster);
        return removed;
    }

    // ---- reaching a node ----

    /** The service name: it resolves on the overlay to whatever address the node's current task has. */
    @Override
    public String peerAddress(String containerName, String configuredAddress) {
        return containerName;
    }

    @Override
    public Endpoint rpcEndpoint(NodeContainer node) {
        return new Endpoint(addressOf(node), node.rpcPort());
    }

    @Override
    public Endpoint pgEndpoint(NodeContainer node) {
        return new Endpoint(addressOf(node), node.pgPort());
    }

    private String addressOf(NodeContainer node) {
        Optional<SwarmHost> host = knownHosts.stream().filter(h -> h.hostname().equals(node.host())).findFirst();
        if (host.isEmpty()) {
            host = hosts().stream().filter(h -> h.hostname().equals(node.host())).findFirst();
        }
        return host.map(SwarmHost::address).orElseThrow(() -> new IllegalStateException(
                NodeException.prefixed(node.node(), "its host " + node.host() + " is not in the Swarm")));
    }

    @Override
    public void streamLogs(NodeContainer node, Integer tail, boolean follow,
                           Consumer<io.pgmesh.orchestrator.docker.ContainerLogs.LogLine> sink)
            throws InterruptedException {
        io.pgmesh.orchestrator.docker.ContainerLogs.streamService(manager, node.containerId(), tail, follow, sink);
    }

    @Override
    public List<String> lastLogLines(String serviceId, int lines) {
        List<String> out = new CopyOnWriteArrayList<>();
        try {
            manager.logServiceCmd(serviceId).withStdout(true).withStderr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                                if (!line.isBlank()) {
                                    out.add(line);
                                }
                            }
                        }
                    }).awaitCompletion(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of("(service logs unavailable: " + DockerEngine.rootMessage(e) + ")");
        }
        int from = Math.max(0, out.size() - lines);
        return List.copyOf(out.subList(from, out.size()));
    }

    // ---- retired indexes ----

    @Override
    public void retire(String cluster, String node, int index) {
        records.retire(cluster, index);
    }

    @Override
    public Set<Integer> retiredIndexes(String cluster) {
        return records.retired(cluster);
    }
}
