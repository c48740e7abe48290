package io.pgmesh.orchestrator.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.Volume;
import io.pgmesh.orchestrator.cluster.UsageException;
import io.pgmesh.orchestrator.docker.ContainerLogs;
import io.pgmesh.orchestrator.docker.DockerOperationException;
import io.pgmesh.orchestrator.wait.Poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code pgmesh lab}: several Docker hosts on one machine (Docker-in-Docker containers h1..hN on the bridge network
 * {@code pgmesh-lab}), joined in a Swarm whose every node is a manager (three keep quorum when one is lost), with a
 * plain-HTTP registry on h1:5000. Each host's engine listens on {@code tcp://<address>:2376} with TLS and client
 * certificates (the lab's own CA, see {@link LabCerts}). Everything created carries the label
 * {@code io.pgmesh.lab=<name>}: {@link #down} is a label query and removes nothing else.
 *
 * <p>{@link #up} also writes {@code <labdir>/sysconfig.json}: the source config with a {@code system.runtime} of kind
 * {@code swarm} naming h1's engine, the client certificates, the registry and an overlay subnet.
 */
public final class Lab {

    /** On every container, volume and network of a lab: the lab's name. */
    public static final String LABEL = "io.pgmesh.lab";
    /** On a host's container and volumes: the host's name (h1, ...). */
    public static final String HOST_LABEL = "io.pgmesh.lab.host";
    /** On a host's container: how many hosts the lab was brought up with. */
    public static final String HOSTS_LABEL = "io.pgmesh.lab.hosts";
    /** The label pgmesh puts on what belongs to a cluster: tasks carrying it are counted by {@link #status}. */
    public static final String CLUSTER_LABEL = "io.pgmesh.cluster";

    public static final int ENGINE_PORT = 2376;
    public static final int SWARM_PORT = 2377;
    public static final int REGISTRY_PORT = 5000;
    /** Where the inner engines and Swarm take their networks from: apart from every subnet in use. */
    public static final String ADDRESS_POOL = "10.209.0.0/16";
    public static final int ADDRESS_POOL_SIZE = 24;
    /** The overlay the generated sysconfig.json gives the Swarm runtime. */
    public static final String RUNTIME_SUBNET = "10.210.0.0/24";
    public static final String RUNTIME_IP_RANGE = "10.210.0.128/25";
    /** What the overlay's encapsulation (VXLAN) takes from the underlay's MTU. */
    public static final int OVERLAY_OVERHEAD = 50;
    /** The config file the CLI reads by default (relative to the working directory). */
    public static final Path DEFAULT_CONFIG = Path.of("sysconfig.json");

    static final String CERT_MOUNT = "/etc/pgmesh-lab/certs";
    static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(90);
    static final Duration SWARM_TIMEOUT = Duration.ofSeconds(60);
    static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@link #up} made, and how long each part took. */
    public record UpResult(List<LabHost> hosts, String manager, String registry, Path sysconfig, int mtu,
                           Duration image, Duration hostsAnswer, Duration swarm, Duration registryUp,
                           Duration total) {
    }

    /**
     * One host in {@link #status}.
     *
     * @param container    the container's state: running, exited, ... or "missing"
     * @param node         the Swarm node's state (ready, down, unknown, disconnected) or "-" when no manager knows it
     * @param availability active, pause, drain or "-"
     * @param manager      leader, reachable, unreachable or "-" (not a manager, or not known)
     * @param clusterTasks running tasks labelled {@value #CLUSTER_LABEL} on it, -1 when no manager answered
     */
    public record HostStatus(LabHost host, String container, String node, String availability, String manager,
                             int clusterTasks) {
    }

    /**
     * @param lab        the lab's name
     * @param hosts      its hosts, h1 first; empty when the lab is down
     * @param answeredBy the host whose manager gave the Swarm part, or null when none answered
     */
    public record Status(String lab, List<HostStatus> hosts, String answeredBy) {
        public boolean up() {
            return !hosts.isEmpty();
        }
    }

    private final DockerClient docker;
    private final LabSettings settings;
    private final Consumer<String> log;

    /**
     * @param docker   the outer machine's engine (the one the hosts run on)
     * @param settings the lab's name, directory and subnet
     * @param log      receives {@code [lab] ...} lines
     */
    public Lab(DockerClient docker, LabSettings settings, Consumer<String> log) {
        this.docker = docker;
        this.settings = settings;
        this.log = log;
    }

    public LabSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- up

    /** {@link #up(int, Path)} with the config the CLI reads by default, ./sysconfig.json. */
    public UpResult up(int hostCount) {
        return up(hostCount, DEFAULT_CONFIG);
    }

    /**
     * Brings the lab up, or checks that it is: the image (built when missing), the certificates, the network, the
     * hosts (started when stopped), each engine answering over TLS, the Swarm (h1 initialises it, the others join as
     * managers), the registry on h1, and {@code <labdir>/sysconfig.json} made from {@code sourceConfig}.
     *
     * @throws UsageException when {@code hostCount} is outside 1..9, the lab is up with another host count, or the
     *                        source config is missing or not JSON
     */
    public UpResult up(int hostCount, Path sourceConfig) {
        long start = System.nanoTime();
        if (hostCount < 1 || hostCount > LabSettings.MAX_HOSTS) {
            throw new UsageException("--hosts", hostCount + " is outside 1.." + LabSettings.MAX_HOSTS);
        }
        ObjectNode config = readSourceConfig(sourceConfig);
        Optional<Integer> existing = upHostCount();
        if (existing.isPresent() && existing.get() != hostCount) {
            throw new UsageException("--hosts", "lab " + settings.name() + " is already up with " + existing.get()
                    + " hosts (h1..h" + existing.get() + "), not " + hostCount + "; run 'pgmesh lab down' first or"
                    + " use --hosts " + existing.get());
        }
        List<LabHost> hosts = settings.hosts(hostCount);
        log.accept("[lab] " + (existing.isPresent() ? "checking" : "bringing up") + " lab " + settings.name() + ": "
                + hostCount + " host" + (hostCount == 1 ? "" : "s") + " on " + settings.subnet() + ", directory "
                + settings.dir());

        long t = System.nanoTime();
        String image = new LabImage(docker, log).ensureBuilt();
        Duration imageTime = since(t);
        log.accept("[lab] image " + image + " ready (" + seconds(imageTime) + ")");

        t = System.nanoTime();
        if (LabCerts.ensure(settings.dir(), hosts)) {
            log.accept("[lab] certificates written to " + LabCerts.clientDir(settings.dir()) + " and "
                    + settings.dir().resolve("hosts") + " (" + seconds(since(t)) + ")");
        }
        ensureNetwork();
        t = System.nanoTime();
        for (LabHost h : hosts) {
            ensureHost(h, image, hostCount);
        }
        for (LabHost h : hosts) {
            awaitEngine(h);
        }
        Duration hostsTime = since(t);
        log.accept("[lab] " + range(hosts) + " answer over TLS (" + seconds(hostsTime) + ")");

        t = System.nanoTime();
        formSwarm(hosts);
        Duration swarmTime = since(t);
        log.accept("[lab] swarm formed: " + hosts.size() + " ready manager" + (hosts.size() == 1 ? "" : "s") + " "
                + range(hosts) + " (" + seconds(swarmTime) + ")");

        t = System.nanoTime();
        String registry = settings.first().address() + ":" + REGISTRY_PORT;
        awaitRegistry(registry);
        Duration registryTime = since(t);
        log.accept("[lab] registry answers at http://" + registry + "/v2/ (" + seconds(registryTime) + ")");

        int mtu = bridgeMtu(settings.first());
        Path sysconfig = writeSysconfig(config, mtu);
        log.accept("[lab] wrote " + sysconfig + " (system.runtime: swarm, manager " + settings.first().dockerHost()
                + ", overlay mtu " + (mtu - OVERLAY_OVERHEAD) + ")");
        Duration total = since(start);
        log.accept("[lab] up in " + seconds(total) + ": image " + seconds(imageTime) + ", hosts " + seconds(hostsTime)
                + ", swarm " + seconds(swarmTime) + ", registry " + seconds(registryTime));
        return new UpResult(hosts, settings.first().dockerHost(), registry, sysconfig, mtu, imageTime, hostsTime,
                swarmTime, registryTime, total);
    }

    private ObjectNode readSourceConfig(Path source) {
        try {
            JsonNode node = JSON.readTree(Files.readString(source, StandardCharsets.UTF_8));
            if (!(node instanceof ObjectNode o) || !(o.get("system") instanceof ObjectNode)) {
                throw new UsageException("--config", source + " has no \"system\" object: not a pgmesh sysconfig.json");
            }
            return o;
        } catch (NoSuchFileException e) {
            throw new UsageException("--config", source.toAbsolutePath().normalize() + " does not exist: the lab's"
                    + " sysconfig.json is made from it (run from the directory holding sysconfig.json, or pass --config)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UsageException("--config", source + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** The source config with {@code system.runtime} set (beside system.config and system.networks). */
    static ObjectNode withRuntime(ObjectNode source, LabSettings settings, int bridgeMtu) {
        ObjectNode config = source.deepCopy();
        ObjectNode system = (ObjectNode) config.get("system");
        system.remove("runtime");
        ObjectNode runtime = system.putObject("runtime");
        runtime.put("kind", "swarm");
        runtime.put("manager", settings.first().dockerHost());
        runtime.put("tls_cert_dir", LabCerts.clientDir(settings.dir()).toString());
        runtime.put("registry", settings.first().address() + ":" + REGISTRY_PORT);
        ObjectNode network = runtime.putObject("network");
        network.put("subnet", RUNTIME_SUBNET);
        network.put("ip_range", RUNTIME_IP_RANGE);
        network.put("mtu", bridgeMtu - OVERLAY_OVERHEAD);
        return config;
    }

    private Path writeSysconfig(ObjectNode source, int mtu) {
        Path file = settings.dir().resolve("sysconfig.json");
        try {
            Files.createDirectories(settings.dir());
            Files.writeString(file, JSON.writeValueAsString(withRuntime(source, settings, mtu)) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void ensureNetwork() {
        Optional<Network> mine = labNetwork();
        if (mine.isPresent()) {
            return;
        }
        String name = settings.network();
        boolean foreign = docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .anyMatch(n -> name.equals(n.getName()));
        if (foreign) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "a network named " + name
                    + " exists and is not lab " + settings.name() + "'s; remove it (docker network rm " + name + ")",
                    null);
        }
        log.accept("[lab] creating network " + name + " (" + settings.subnet() + ", gateway " + settings.gateway() + ")");
        try {
            docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(Map.of(LABEL, settings.name()))
                    .withIpam(new Network.Ipam().withConfig(
                            new Network.Ipam.Config().withSubnet(settings.subnet()).withGateway(settings.gateway())))
                    .exec();
        } catch (DockerException e) {
            String reason = rootMessage(e);
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT,
                    "cannot create the lab network " + name + " on " + settings.subnet() + ": " + reason
                            + (reason.contains("overlap") ? " (another Docker network uses that range; remove it)" : ""),
                    e);
        }
    }

    private Optional<Network> labNetwork() {
        return docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=" + settings.name())).exec().stream()
                .filter(n -> settings.network().equals(n.getName())).findFirst();
    }

    /** Creates the host's container (and volumes) when missing, starts it when it does not run. */
    private void ensureHost(LabHost h, String image, int hostCount) {
        Optional<Container> existing = container(h);
        String id;
        if (existing.isPresent()) {
            id = existing.get().getId();
            if (!image.equals(existing.get().getImage())) {
                log.accept("[lab] " + h.name() + ": container " + h.container() + " runs " + existing.get().getImage()
                        + " (kept; 'pgmesh lab down' then 'up' to use " + image + ")");
            }
        } else {
            id = createHost(h, image, hostCount);
        }
        var state = docker.inspectContainerCmd(id).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning())) {
            log.accept("[lab] " + h.name() + ": starting " + h.container() + " (" + h.address() + ")");
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException ignored) {
                // already running
            } catch (DockerException e) {
                throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED,
                        "starting lab host " + h.name() + " (" + h.container() + ") failed: " + rootMessage(e),
                        ContainerLogs.tail(docker, id, 20), e);
            }
        }
    }

    private String createHost(LabHost h, String image, int hostCount) {
        boolean registry = h.index() == 1;
        String dataVolume = h.container() + "-docker";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, settings.name());
        labels.put(HOST_LABEL, h.name());
        createVolume(dataVolume, h);
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(dataVolume, new Volume("/var/lib/docker")));
        binds.add(new Bind(LabCerts.hostDir(settings.dir(), h.name()).toString(), new Volume(CERT_MOUNT),
                AccessMode.ro));
        if (registry) {
            String registryVolume = settings.name() + "-registry";
            createVolume(registryVolume, h);
            binds.add(new Bind(registryVolume, new Volume("/var/lib/docker-registry")));
        }
        HostConfig hostConfig = new LabHostConfig()
                .withNetworkMode(settings.network())
                .withBinds(binds)
                // --privileged fails on this kind of engine (it lacks CAP_SYS_RESOURCE): everything else instead
                .withCapAdd(Capability.ALL)
                .withCapDrop(Capability.SYS_RESOURCE)
                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                .withDeviceCgroupRules(List.of("a *:* rwm"))
                .withCgroupnsMode("private")
                .withInit(true);
        Map<String, String> containerLabels = new LinkedHashMap<>(labels);
        containerLabels.put(HOSTS_LABEL, Integer.toString(hostCount));
        List<String> env = new ArrayList<>(List.of(
                "LAB_INSECURE_REGISTRIES=" + settings.subnet(),
                "LAB_ADDRESS_POOL=" + ADDRESS_POOL,
                "LAB_ADDRESS_POOL_SIZE=" + ADDRESS_POOL_SIZE,
                "LAB_CERT_DIR=" + CERT_MOUNT));
        if (registry) {
            env.add("LAB_REGISTRY=1");
        }
        log.accept("[lab] " + h.name() + ": creating " + h.container() + " (" + h.address() + ")"
                + (registry ? " with the registry" : ""));
        try {
            return docker.createContainerCmd(image)
                    .withName(h.container())
                    .withHostName(h.name())
                    .withLabels(containerLabels)
                    .withEnv(env)
                    .withHostConfig(hostConfig)
                    .withIpv4Address(h.address())
                    .withAliases(h.name())
                    .exec().getId();
        } catch (ConflictException e) {
            throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "a container named "
                    + h.container() + " already exists and is not host " + h.name() + " of lab " + settings.name()
                    + "; remove it (docker rm -f " + h.container() + ")", e);
        }
    }

    private void createVolume(String name, LabHost h) {
        var existing = docker.listVolumesCmd().withFilter("name", List.of(name)).exec().getVolumes();
        if (existing != null && existing.stream().anyMatch(v -> name.equals(v.getName()))) {
            Map<String, String> labels = docker.inspectVolumeCmd(name).exec().getLabels();
            if (labels == null || !settings.name().equals(labels.get(LABEL))) {
                throw new DockerOperationException(DockerOperationException.Kind.CONFLICT, "a volume named " + name
                        + " exists and is not lab " + settings.name() + "'s; remove it (docker volume rm " + name + ")",
                        null);
            }
            return;
        }
        docker.createVolumeCmd().withName(name).withLabels(Map.of(LABEL, settings.name(), HOST_LABEL, h.name())).exec();
    }

    /** Waits until the host's engine answers over TLS; fails naming the host and its last log lines. */
    private void awaitEngine(LabHost h) {
        String stopped;
        try (LabEngines.Engine e = engine(h)) {
            stopped = Poll.until("lab host " + h.name() + "'s engine at " + h.dockerHost(), ENGINE_TIMEOUT, POLL, () -> {
                Optional<Container> c = container(h);
                if (c.isEmpty() || !"running".equals(c.get().getState())) {
                    // a stopped host will not answer: say so at once rather than at the deadline
                    return Optional.of(c.map(x -> "is " + x.getState() + " (" + x.getStatus() + ")").orElse("is gone"));
                }
                e.client().pingCmd().exec();
                return Optional.of("");
            });
        } catch (Poll.TimeoutException e) {
            throw new DockerOperationException(DockerOperationException.Kind.ENGINE_UNREACHABLE,
                    "lab host " + h.name() + ": its engine at " + h.dockerHost() + " does not answer over TLS within "
                            + ENGINE_TIMEOUT.toSeconds() + " s (" + (e.getCause() == null ? e.getMessage()
                            : rootMessage(e.getCause())) + ")",
                    container(h).map(c -> ContainerLogs.tail(docker, c.getId(), 20)).orElse(List.of()), e);
        }
        if (!stopped.isEmpty()) {
            throw new DockerOperationException(DockerOperationException.Kind.CONTAINER_FAILED, "lab host " + h.name()
                    + ": container " + h.container() + " " + stopped + " instead of running its engine",
                    container(h).map(c -> ContainerLogs.tail(docker, c.getId(), 20)).orElse(List.of()), null);
        }
    }

    private void formSwarm(List<LabHost> hosts) {
        LabHost first = hosts.get(0);
        try (LabEngines.Engine leader = engine(first)) {
            LocalNodeState state = localState(leader.client());
            if (state != LocalNodeState.ACTIVE) {
                String body = "{\"ListenAddr\":\"0.0.0.0:" + SWARM_PORT + "\",\"AdvertiseAddr\":\"" + first.address()
                        + "\",\"DefaultAddrPool\":[\"" + ADDRESS_POOL + "\"],\"SubnetSize\":" + ADDRESS_POOL_SIZE + "}";
                LabEngines.Response r = leader.post("/swarm/init", body);
                if (r.status() / 100 != 2) {
                    throw new DockerOperationException(DockerOperationException.Kind.OTHER, "swarm init on "
                            + first.name() + " failed: HTTP " + r.status() + " " + r.body().strip(), null);
                }
                log.accept("[lab] " + first.name() + ": swarm initialised (advertise " + first.address()
                        + ", address pool " + ADDRESS_POOL + ")");
            }
            String token = leader.client().inspectSwarmCmd().exec().getJoinTokens().getManager();
            for (LabHost h : hosts.subList(1, hosts.size())) {
                try (LabEngines.Engine e = engine(h)) {
                    if (localState(e.client()) == LocalNodeState.ACTIVE) {
                        continue;
                    }
                    e.client().joinSwarmCmd()
                            .withRemoteAddrs(List.of(first.address() + ":" + SWARM_PORT))
                            .withJoinToken(token)
                            .withListenAddr("0.0.0.0:" + SWARM_PORT)
                            .withAdvertiseAddr(h.address())
                            .exec();
                    log.accept("[lab] " + h.name() + ": joined the swarm as a manager");
                }
            }
            Set<String> names = hosts.stream().map(LabHost::name).collect(Collectors.toSet());
            Poll.until("swarm of " + range(hosts) + " with every node a ready, reachable manager", SWARM_TIMEOUT, POLL,
                    () -> {
                        List<SwarmNode> nodes = leader.client().listSwarmNodesCmd().exec();
                        Set<String> ready = nodes.stream().filter(Lab::readyManager)
                                .map(n -> n.getDescription().getHostname()).collect(Collectors.toSet());
                        return ready.containsAll(names) ? Optional.of(true) : Optional.empty();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("swarm init on " + first.name() + ": " + e.getMessage(), e);
        }
    }

    private static boolean readyManager(SwarmNode n) {
        return n.getStatus() != null && n.getStatus().getState() != null
                && "ready".equals(n.getStatus().getState().name().toLowerCase(Locale.ROOT))
                && n.getManagerStatus() != null && n.getManagerStatus().getReachability() != null
                && "reachable".equals(n.getManagerStatus().getReachability().name().toLowerCase(Locale.ROOT))
                && n.getDescription() != null && n.getDescription().getHostname() != null;
    }

    private static LocalNodeState localState(DockerClient client) {
        Info info = client.infoCmd().exec();
        return info.getSwarm() == null || info.getSwarm().getLocalNodeState() == null ? LocalNodeState.INACTIVE
                : info.getSwarm().getLocalNodeState();
    }

    private void awaitRegistry(String registry) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            Poll.until("the lab registry at http://" + registry + "/v2/", REGISTRY_TIMEOUT, POLL, () -> {
                HttpResponse<Void> r = http.send(get, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                return Optional.of(true);
            });
        } catch (Poll.TimeoutException e) {
            throw new DockerOperationException(DockerOperationException.Kind.OTHER, e.getMessage()
                    + "; see /var/log/docker-registry.log in " + settings.first().container(), e);
        }
    }

    /** The MTU of the lab bridge as the host sees it (its eth0). */
    private int bridgeMtu(LabHost h) {
        String id = container(h).orElseThrow().getId();
        String exec = docker.execCreateCmd(id).withCmd("cat", "/sys/class/net/eth0/mtu")
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try (ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        }) {
            docker.execStartCmd(exec).exec(cb);
            if (!cb.awaitCompletion(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("reading eth0's MTU in " + h.container() + " took over 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text;
        synchronized (out) {
            text = out.toString().strip();
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cannot read eth0's MTU in " + h.container() + ": '" + text + "'", e);
        }
    }

    // ---------------------------------------------------------------- hosts, clients

    /** The lab's hosts as its containers say (h1 first); empty when the lab is down. */
    public List<LabHost> hosts() {
        return upHostCount().map(settings::hosts).orElse(List.of());
    }

    /** The host count the lab was brought up with, when any of its containers exists. */
    private Optional<Integer> upHostCount() {
        return labContainers().stream()
                .map(c -> c.getLabels() == null ? null : c.getLabels().get(HOSTS_LABEL))
                .filter(v -> v != null && v.matches("\\d"))
                .map(Integer::parseInt).max(Comparator.naturalOrder());
    }

    /**
     * A docker-java client for host {@code name}'s engine ({@code tcp://<address>:2376}, TLS with the lab's client
     * certificate). The caller closes it.
     *
     * @throws UsageException when the lab has no such host
     */
    public DockerClient client(String name) {
        return LabEngines.tlsClient(host(name).dockerHost(), LabCerts.clientDir(settings.dir()));
    }

    /** The lab's host {@code name}; a {@link UsageException} naming the hosts there are when it is not one. */
    public LabHost host(String name) {
        List<LabHost> hosts = hosts();
        if (hosts.isEmpty()) {
            throw new UsageException("HOST", "lab " + settings.name() + " is not up (run 'pgmesh lab up')");
        }
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow(() ->
                new UsageException("HOST", "unknown host \"" + name + "\": the lab has " + range(hosts)));
    }

    private LabEngines.Engine engine(LabHost h) {
        return LabEngines.engine(h.dockerHost(), LabCerts.clientDir(settings.dir()));
    }

    // ---------------------------------------------------------------- stop, start

    /**
     * Stops host {@code name}'s container: its engine dies with it and Swarm sees its node go down (the other
     * managers notice within seconds; this does not wait for that).
     *
     * @return how long the stop took
     */
    public Duration stopHost(String name) {
        LabHost h = host(name);
        long t = System.nanoTime();
        Container c = container(h).orElseThrow();
        if ("running".equals(c.getState())) {
            try {
                docker.stopContainerCmd(c.getId()).withTimeout(20).exec();
            } catch (NotModifiedException ignored) {
                // stopped meanwhile
            }
        }
        Duration took = since(t);
        log.accept("[lab] " + h.name() + ": stopped " + h.container() + " (" + seconds(took) + ")");
        return took;
    }

    /**
     * Starts host {@code name}'s container again and waits until its engine answers over TLS and its Swarm node is
     * ready (it rejoins on its own: the Swarm state is on its volume).
     *
     * @return how long until the node was ready
     */
    public Duration startHost(String name) {
        LabHost h = host(name);
        long t = System.nanoTime();
        Container c = container(h).orElseThrow();
        if (!"running".equals(c.getState())) {
            try {
                docker.startContainerCmd(c.getId()).exec();
            } catch (NotModifiedException ignored) {
                // started meanwhile
            }
        }
        awaitEngine(h);
        Duration engineUp = since(t);
        try (LabEngines.Engine e = engine(h)) {
            Poll.until("host " + h.name() + "'s swarm node ready", SWARM_TIMEOUT, POLL, () -> {
                Info info = e.client().infoCmd().exec();
                if (info.getSwarm() == null || info.getSwarm().getLocalNodeState() != LocalNodeState.ACTIVE
                        || !Boolean.TRUE.equals(info.getSwarm().getControlAvailable())) {
                    return Optional.empty();
                }
                String self = info.getSwarm().getNodeID();
                return e.client().listSwarmNodesCmd().withIdFilter(List.of(self)).exec().stream()
                        .anyMatch(Lab::readyManager) ? Optional.of(true) : Optional.empty();
            });
        } catch (Poll.TimeoutException ex) {
            throw new DockerOperationException(DockerOperationException.Kind.OTHER, "lab host " + h.name()
                    + ": its engine answers but its swarm node is not a ready manager within "
                    + SWARM_TIMEOUT.toSeconds() + " s (" + ex.getMessage() + ")", ex);
        }
        Duration took = since(t);
        log.accept("[lab] " + h.name() + ": started; engine answers after " + seconds(engineUp)
                + ", swarm node ready after " + seconds(took));
        return took;
    }

    // ---------------------------------------------------------------- status

    /**
     * Each host: its container's state and, from the first manager that answers (h1 first), its Swarm node's
     * state, availability and manager status and the running tasks labelled {@value #CLUSTER_LABEL} on it.
     */
    public Status status() {
        List<LabHost> hosts = hosts();
        Map<String, Container> containers = new HashMap<>();
        for (Container c : labContainers()) {
            if (c.getLabels() != null && c.getLabels().get(HOST_LABEL) != null) {
                containers.put(c.getLabels().get(HOST_LABEL), c);
            }
        }
        Map<String, SwarmNode> nodes = null;
        Map<String, Integer> tasks = null;
        String answeredBy = null;
        for (LabHost h : hosts) {
            Container c = containers.get(h.name());
            if (c == null || !"running".equals(c.getState())) {
                continue;
            }
            try (LabEngines.Engine e = engine(h)) {
                List<SwarmNode> list = e.client().listSwarmNodesCmd().exec();
                Map<String, SwarmNode> byHost = new TreeMap<>();
                Map<String, String> hostOfNode = new HashMap<>();
                for (SwarmNode n : list) {
                    String hostname = n.getDescription() == null ? null : n.getDescription().getHostname();
                    if (hostname == null) {
                        continue;
                    }
                    SwarmNode seen = byHost.get(hostname);
                    // a node that left and joined again is listed twice: the ready one counts
                    if (seen == null || !isReady(seen)) {
                        byHost.put(hostname, n);
                    }
                    hostOfNode.put(n.getId(), hostname);
                }
                tasks = clusterTasks(e.client(), hostOfNode);
                nodes = byHost;
                answeredBy = h.name();
                break;
            } catch (RuntimeException ignored) {
                // not a manager that answers (stopped, no quorum): ask the next
            }
        }
        List<HostStatus> result = new ArrayList<>();
        for (LabHost h : hosts) {
            Container c = containers.get(h.name());
            SwarmNode n = nodes == null ? null : nodes.get(h.name());
            result.add(new HostStatus(h, c == null ? "missing" : c.getState(),
                    n == null || n.getStatus() == null || n.getStatus().getState() == null ? "-"
                            : lower(n.getStatus().getState().name()),
                    n == null || n.getSpec() == null || n.getSpec().getAvailability() == null ? "-"
                            : lower(n.getSpec().getAvailability().name()),
                    managerStatus(n),
                    tasks == null ? -1 : tasks.getOrDefault(h.name(), 0)));
        }
        return new Status(settings.name(), result, answeredBy);
    }

    private static boolean isReady(SwarmNode n) {
        return n.getStatus() != null && n.getStatus().getState() != null
                && "ready".equals(lower(n.getStatus().getState().name()));
    }

    private static String managerStatus(SwarmNode n) {
        if (n == null || n.getManagerStatus() == null) {
            return "-";
        }
        if (n.getManagerStatus().isLeader()) {
            return "leader";
        }
        return n.getManagerStatus().getReachability() == null ? "-"
                : lower(n.getManagerStatus().getReachability().name());
    }

    /** Running tasks per host whose task, container spec or service carries {@value #CLUSTER_LABEL}. */
    private static Map<String, Integer> clusterTasks(DockerClient manager, Map<String, String> hostOfNode) {
        Set<String> labelledServices = manager.listServicesCmd().exec().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null
                        && s.getSpec().getLabels().containsKey(CLUSTER_LABEL))
                .map(Service::getId).collect(Collectors.toSet());
        Map<String, Integer> counts = new HashMap<>();
        for (Task t : manager.listTasksCmd().exec()) {
            if (t.getStatus() == null || t.getStatus().getState() != TaskState.RUNNING || t.getNodeId() == null) {
                continue;
            }
            boolean labelled = labelledServices.contains(t.getServiceId())
                    || (t.getLabels() != null && t.getLabels().containsKey(CLUSTER_LABEL))
                    || (t.getSpec() != null && t.getSpec().getContainerSpec() != null
                    && t.getSpec().getContainerSpec().getLabels() != null
                    && t.getSpec().getContainerSpec().getLabels().containsKey(CLUSTER_LABEL));
            String host = hostOfNode.get(t.getNodeId());
            if (labelled && host != null) {
                counts.merge(host, 1, Integer::sum);
            }
        }
        return counts;
    }

    // ---------------------------------------------------------------- down

    /**
     * Removes everything labelled {@code io.pgmesh.lab=<name>}: containers, volumes, the network; and the lab
     * directory's certs/, hosts/ and sysconfig.json (the directory too when that leaves it empty). Nothing else.
     */
    public void down() {
        long t = System.nanoTime();
        List<Container> containers = labContainers();
        for (Container c : containers) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException ignored) {
                // gone meanwhile
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(LABEL + "=" + settings.name())).exec()
                .getVolumes();
        int volumeCount = 0;
        if (volumes != null) {
            for (var v : volumes) {
                try {
                    docker.removeVolumeCmd(v.getName()).exec();
                    volumeCount++;
                } catch (NotFoundException ignored) {
                    // gone meanwhile
                }
            }
        }
        List<Network> networks = docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=" + settings.name()))
                .exec();
        for (Network n : networks) {
            try {
                docker.removeNetworkCmd(n.getId()).exec();
            } catch (NotFoundException ignored) {
                // gone meanwhile
            }
        }
        deleteLabFiles();
        log.accept("[lab] down: removed " + containers.size() + " container" + (containers.size() == 1 ? "" : "s")
                + ", " + volumeCount + " volume" + (volumeCount == 1 ? "" : "s") + ", " + networks.size() + " network"
                + (networks.size() == 1 ? "" : "s") + " labelled " + LABEL + "=" + settings.name()
                + " and the lab's files (" + seconds(since(t)) + ")");
    }

    private void deleteLabFiles() {
        Path dir = settings.dir();
        try {
            deleteTree(dir.resolve("certs"));
            deleteTree(dir.resolve("hosts"));
            Files.deleteIfExists(dir.resolve("sysconfig.json"));
            if (Files.isDirectory(dir)) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the lab's files under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<Container> labContainers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, settings.name())).exec();
    }

    private Optional<Container> container(LabHost h) {
        return labContainers().stream()
                .filter(c -> c.getLabels() != null && h.name().equals(c.getLabels().get(HOST_LABEL))).findFirst();
    }

    static String range(List<LabHost> hosts) {
        return hosts.size() == 1 ? hosts.get(0).name() : hosts.get(0).name() + ".." + hosts.get(hosts.size() - 1).name();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * HostConfig with MaskedPaths and ReadonlyPaths empty: what {@code --security-opt systempaths=unconfined} does in
     * the docker CLI (the API has no such option), so the inner engine may write /proc/sys.
     */
    static final class LabHostConfig extends HostConfig {
        private static final long serialVersionUID = 1L;

        @JsonProperty("MaskedPaths")
        private final List<String> maskedPaths = new ArrayList<>();

        @JsonProperty("ReadonlyPaths")
        private final List<String> readonlyPaths = new ArrayList<>();

        List<String> maskedPaths() {
            return maskedPaths;
        }

        List<String> readonlyPaths() {
            return readonlyPaths;
        }
    }
}
