package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static io.pgmesh.orchestrator.config.JsonWalker.child;

/**
 * Reads {@code system.runtime}. A Swarm's manager is written as users know a Docker endpoint: in the file
 * ({@code manager}, {@code tls_cert_dir}) or, when {@code manager} is absent, from DOCKER_HOST, DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH. A tcp:// manager is only reached over TLS: a Docker API in clear gives root on its host to
 * anyone who reaches the port.
 */
final class RuntimeReader {

    static final String DEFAULT_SUBNET = "10.210.0.0/24";
    static final int DEFAULT_MTU = 1400;
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}");
    private static final List<String> CERT_FILES = List.of("ca.pem", "cert.pem", "key.pem");

    private final JsonWalker w;
    private final Function<String, String> env;

    RuntimeReader(JsonWalker w, Function<String, String> env) {
        this.w = w;
        this.env = env;
    }

    /** The runtime, {@link RuntimeConfig.Docker} when absent; null when wrong (problems recorded). */
    RuntimeConfig read(ObjectNode system, String systemPath) {
        String path = child(systemPath, "runtime");
        ObjectNode obj = w.objectField(system, systemPath, "runtime", false,
                List.of("kind", "manager", "tls_cert_dir", "registry", "network"));
        if (obj == null) {
            return w.failedAtOrAbove(path) ? null : new RuntimeConfig.Docker();
        }
        String kind = w.string(obj, path, "kind", true);
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "docker" -> {
                for (String key : List.of("manager", "tls_cert_dir", "registry", "network")) {
                    if (obj.hasNonNull(key)) {
                        w.problem(child(path, key), "only for \"kind\": \"swarm\"");
                    }
                }
                return new RuntimeConfig.Docker();
            }
            case "swarm" -> {
                return swarm(obj, path);
            }
            default -> {
                w.problem(child(path, "kind"), "'" + JsonWalker.printable(kind) + "' is not a runtime: use \"docker\""
                        + " (the local engine) or \"swarm\"");
                return null;
            }
        }
    }

    private RuntimeConfig swarm(ObjectNode obj, String path) {
        int before = w.count();
        String manager = w.string(obj, path, "manager", false);
        String certDir = w.string(obj, path, "tls_cert_dir", false);
        String managerPath = child(path, "manager");
        String certPath = child(path, "tls_cert_dir");
        if (manager == null && !w.failedAtOrAbove(managerPath)) {
            manager = env.apply("DOCKER_HOST");
            managerPath = managerPath + " (absent, so DOCKER_HOST)";
            if (manager == null || manager.isBlank()) {
                w.problem(child(path, "manager"), "is required (or set DOCKER_HOST): the Docker endpoint of one of"
                        + " the Swarm's managers, e.g. tcp://10.0.0.5:2376");
                manager = null;
            } else if (certDir == null && "1".equals(env.apply("DOCKER_TLS_VERIFY"))) {
                certDir = env.apply("DOCKER_CERT_PATH");
                certPath = certPath + " (absent, so DOCKER_CERT_PATH)";
            }
        }
        Optional<Path> tls = Optional.empty();
        if (manager != null) {
            Optional<String> scheme = scheme(manager);
            if (scheme.isEmpty()) {
                w.problem(managerPath, "'" + JsonWalker.printable(manager) + "' is not a Docker endpoint such as"
                        + " tcp://10.0.0.5:2376 or unix:///var/run/docker.sock");
            } else if (scheme.get().equals("tcp")) {
                if (certDir == null || certDir.isBlank()) {
                    w.problem(child(path, "tls_cert_dir"), "is required for a tcp:// manager (or DOCKER_TLS_VERIFY=1"
                            + " and DOCKER_CERT_PATH): pgmesh does not talk to a Docker API in clear text");
                } else {
                    tls = certificates(certDir, certPath);
                }
            } else if (certDir != null) {
                w.problem(certPath, "only for a tcp:// manager");
            }
        }
        String registry = w.string(obj, path, "registry", true);
        if (registry != null && !REGISTRY.matcher(registry).matches()) {
            w.problem(child(path, "registry"), "'" + JsonWalker.printable(registry) + "' is not host:port of a"
                    + " registry, e.g. 10.0.0.5:5000");
        }
        RuntimeConfig.OverlayConfig network = overlay(w.objectField(obj, path, "network", false,
                List.of("subnet", "ip_range", "mtu")), child(path, "network"));
        if (w.count() != before || manager == null || registry == null || network == null) {
            return null;
        }
        return new RuntimeConfig.Swarm(manager.strip(), tls, registry, network);
    }

    private Optional<Path> certificates(String dir, String path) {
        Path p = Path.of(dir);
        if (!p.isAbsolute()) {
            w.problem(path, "'" + JsonWalker.printable(dir) + "' must be an absolute path");
            return Optional.empty();
        }
        List<String> missing = CERT_FILES.stream().filter(f -> !Files.isReadable(p.resolve(f))).toList();
        if (!missing.isEmpty()) {
            w.problem(path, dir + " lacks " + String.join(", ", missing) + " (the client certificate, its key and"
                    + " the CA that signed the engines' certificates)");
            return Optional.empty();
        }
        return Optional.of(p);
    }

    private static Optional<String> scheme(String endpoint) {
        try {
            URI uri = new URI(endpoint.strip());
            if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                return Optional.of("tcp");
            }
            if ("unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty()) {
                return Optional.of("unix");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private RuntimeConfig.OverlayConfig overlay(ObjectNode obj, String path) {
        int before = w.count();
        Ipv4Net subnet = net(obj, path, "subnet", DEFAULT_SUBNET);
        Ipv4Net range = net(obj, path, "ip_range", null);
        Integer mtu = w.integer(obj, path, "mtu", false);
        if (mtu == null && !w.failedAtOrAbove(child(path, "mtu"))) {
            mtu = DEFAULT_MTU;
        }
        if (mtu != null && (mtu < 1280 || mtu > 9000)) {
            w.problem(child(path, "mtu"), "must be between 1280 and 9000, got " + mtu);
        }
        if (subnet != null && subnet.prefixLength() > 26) {
            w.problem(child(path, "subnet"), subnet + " is too small: use a /26 or larger");
        }
        if (subnet != null && range != null && !(subnet.contains(range.first()) && subnet.contains(range.last()))) {
            w.problem(child(path, "ip_range"), range + " is not inside subnet " + subnet);
        }
        if (w.count() != before || subnet == null || mtu == null) {
            return null;
        }
        return new RuntimeConfig.OverlayConfig(subnet, range == null ? subnet : range, mtu);
    }

    private Ipv4Net net(ObjectNode obj, String path, String key, String fallback) {
        String text = w.string(obj, path, key, false);
        if (text == null) {
            return w.failedAtOrAbove(child(path, key)) || fallback == null ? null : Ipv4Net.of(fallback);
        }
        try {
            return Ipv4Net.of(text);
        } catch (IllegalArgumentException e) {
            w.problem(child(path, key), "'" + JsonWalker.printable(text) + "' is not a network in CIDR form"
                    + " (a.b.c.d/n, no host bits)");
            return null;
        }
    }
}
