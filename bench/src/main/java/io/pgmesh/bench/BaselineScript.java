package io.pgmesh.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/baseline-mesh.sh: the same mesh made with plain {@code docker run} and {@code psql}, run as a process
 * the way a user runs it. Its containers carry the label {@code io.pgmesh.bench=<cluster>}.
 */
final class BaselineScript {

    static final String LABEL = "io.pgmesh.bench";
    private static final Pattern PHASE = Pattern.compile("\\[baseline] phase (\\S+) (\\d+\\.\\d+)");
    private static final Pattern FLOOR = Pattern.compile("floor (\\d+\\.\\d+)");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    record UpResult(double seconds, Map<String, Double> phases) {
    }

    private final Path script;
    private final String cluster;
    private final String image;
    private final int octet;
    private final Path log;
    private final DockerClient docker;
    private final String writerPassword = password();
    private final Map<String, String> environment;
    private final boolean tls;

    BaselineScript(Path script, String cluster, String image, int octet, Path log, DockerClient docker) {
        this(script, cluster, image, octet, log, docker, null);
    }

    /**
     * @param tlsDir null: no TLS (the default); else the script's TLS mode ({@code BASELINE_TLS_DIR}): a directory
     *               with {@code node<i>/} holding the files {@link TlsMaterial} issued for node i
     */
    BaselineScript(Path script, String cluster, String image, int octet, Path log, DockerClient docker, Path tlsDir) {
        this.script = script;
        this.cluster = cluster;
        this.image = image;
        this.octet = octet;
        this.log = log;
        this.docker = docker;
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "BASELINE_CLUSTER", cluster,
                "BASELINE_IMAGE", image,
                "BASELINE_OCTET", Integer.toString(octet),
                "BASELINE_WRITER_PASSWORD", writerPassword));
        if (tlsDir != null) {
            env.put("BASELINE_TLS_DIR", tlsDir.toString());
        }
        this.environment = Map.copyOf(env);
        this.tls = tlsDir != null;
    }

    /** Whether the script runs its mesh with TLS. */
    boolean tls() {
        return tls;
    }

    String cluster() {
        return cluster;
    }

    String writerPassword() {
        return writerPassword;
    }

    /** {@code baseline-mesh.sh up N}: wall time of the whole script and the phases it reported. */
    UpResult up(int nodes) {
        Processes.Outcome o = Processes.require(List.of("bash", script.toString(), "up", Integer.toString(nodes)),
                environment, log, TIMEOUT);
        Map<String, Double> phases = new LinkedHashMap<>();
        Matcher m = PHASE.matcher(o.output());
        while (m.find()) {
            phases.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return new UpResult(o.seconds(), phases);
    }

    void down() {
        Processes.require(List.of("bash", script.toString(), "down"), environment, log, TIMEOUT);
    }

    /** {@code baseline-mesh.sh floor}: one bare container from docker run to accepting connections, in seconds. */
    double floor() {
        Processes.Outcome o = Processes.require(List.of("bash", script.toString(), "floor"), environment, log, TIMEOUT);
        Matcher m = FLOOR.matcher(o.output());
        if (!m.find()) {
            throw new IllegalStateException("baseline-mesh.sh floor printed no time: " + o.output());
        }
        return Double.parseDouble(m.group(1));
    }

    /** The ids of the script's running node containers, in node order. */
    List<String> containerIds() {
        return nodes().stream().map(Container::getId).toList();
    }

    private List<Container> nodes() {
        List<Container> containers = docker.listContainersCmd().withLabelFilter(Map.of(LABEL, cluster)).exec();
        return containers.stream()
                .filter(c -> c.getNames() != null && c.getNames().length > 0 && c.getNames()[0].matches("/.*-node\\d+"))
                .sorted(Comparator.comparingInt(c -> Integer.parseInt(c.getNames()[0].replaceAll(".*-node", ""))))
                .toList();
    }

    /** The published PostgreSQL port of each of the script's running nodes, in node order. */
    List<Integer> pgPorts() {
        return nodes().stream()
                .map(c -> {
                    for (ContainerPort p : c.getPorts()) {
                        if (p.getPrivatePort() != null && p.getPrivatePort() == 5432 && p.getPublicPort() != null) {
                            return p.getPublicPort();
                        }
                    }
                    throw new IllegalStateException("container " + c.getNames()[0] + " publishes no PostgreSQL port");
                })
                .toList();
    }

    private static String password() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "BaselineScript[" + cluster + ", " + image + ", 172.28." + octet + ".0/24" + (tls ? ", TLS" : "") + "]";
    }
}
