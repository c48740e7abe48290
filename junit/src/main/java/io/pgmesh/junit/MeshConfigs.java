package io.pgmesh.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import io.pgmesh.orchestrator.config.Ipv4Address;
import io.pgmesh.orchestrator.config.Ipv4Net;
import io.pgmesh.orchestrator.config.SysConfig;
import io.pgmesh.orchestrator.config.SysConfigEdits;
import io.pgmesh.orchestrator.config.SysConfigLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in config (a copy of the shipped sysconfig.json with {@code min_nodes} 1) moved onto a subnet, and the
 * choice of a free subnet for it. Automatic subnets come from 172.28.120.0/24 .. 172.28.159.0/24, clear of the
 * CLI's default 172.28.5.0/24 and of the project's integration tests (172.28.9x.0/24).
 */
final class MeshConfigs {

    static final int FIRST_AUTO_OCTET = 120;
    static final int LAST_AUTO_OCTET = 159;
    /** The built-in config's host parts: gateway at .1, node addresses from .10 to .41. */
    static final int GATEWAY_OFFSET = 1;
    static final int FIRST_NODE_OFFSET = 10;
    static final int LAST_NODE_OFFSET = 41;
    /** The largest prefix that holds the node range and a broadcast address. */
    static final int MAX_PREFIX = 26;

    private static final String TEMPLATE = "default-sysconfig.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Subnets this JVM's clusters hold or are creating; the engine only learns of a subnet once its network exists. */
    private static final Set<Ipv4Net> RESERVED = new HashSet<>();

    private MeshConfigs() {
    }

    /** {@code cidr} as a subnet for the built-in config; {@link IllegalArgumentException} naming {@code subnet}. */
    static Ipv4Net parseSubnet(String cidr) {
        if (cidr == null || cidr.isBlank()) {
            throw new IllegalArgumentException("subnet: must not be empty (e.g. \"172.28.120.0/24\")");
        }
        Ipv4Net net;
        try {
            net = Ipv4Net.of(cidr.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("subnet: '" + cidr + "' is not an IPv4 network such as"
                    + " \"172.28.120.0/24\" (" + e.getMessage() + ")", e);
        }
        if (net.prefixLength() > MAX_PREFIX) {
            throw new IllegalArgumentException("subnet: " + net + " is too small: the built-in config needs at least a /"
                    + MAX_PREFIX + " (gateway ." + GATEWAY_OFFSET + ", nodes from ." + FIRST_NODE_OFFSET + " to ."
                    + LAST_NODE_OFFSET + ")");
        }
        return net;
    }

    /** The first automatic candidate: what the built-in config is validated on before Docker is asked. */
    static Ipv4Net firstCandidate() {
        return candidate(FIRST_AUTO_OCTET);
    }

    /** The built-in config on {@code subnet}; a {@link io.pgmesh.orchestrator.config.ConfigException} when it is invalid. */
    static SysConfig builtIn(Ipv4Net subnet) {
        String source = "pgmesh-junit built-in config on " + subnet;
        return SysConfigLoader.parse(SysConfigEdits.onSubnet(template().toString(), subnet, source), source);
    }

    /**
     * Reserves the first automatic candidate that neither overlaps a Docker network nor is reserved in this JVM;
     * give it back with {@link #release}.
     */
    static Ipv4Net reserveFree(DockerClient docker) {
        List<Ipv4Net> used = new ArrayList<>();
        List<String> pgmeshJunitNetworks = new ArrayList<>();
        for (Network n : docker.listNetworksCmd().exec()) {
            subnets(n).forEach(used::add);
            if (n.getName() != null && n.getName().startsWith(PgMeshCluster.DEFAULT_NAME_PREFIX)) {
                pgmeshJunitNetworks.add(n.getName());
            }
        }
        synchronized (RESERVED) {
            for (int octet = FIRST_AUTO_OCTET; octet <= LAST_AUTO_OCTET; octet++) {
                Ipv4Net candidate = candidate(octet);
                if (!RESERVED.contains(candidate) && used.stream().noneMatch(candidate::overlaps)) {
                    RESERVED.add(candidate);
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("subnet: no free subnet among 172.28." + FIRST_AUTO_OCTET + ".0/24 .. 172.28."
                + LAST_AUTO_OCTET + ".0/24 (" + pgmeshJunitNetworks.size() + " of them held by networks named "
                + PgMeshCluster.DEFAULT_NAME_PREFIX + "*, left behind by killed test runs? remove them with"
                + " 'pgmesh down --delete-data --cluster NAME'); or set a free one with subnet(...)");
    }

    static void release(Ipv4Net subnet) {
        if (subnet != null) {
            synchronized (RESERVED) {
                RESERVED.remove(subnet);
            }
        }
    }

    private static Ipv4Net candidate(int thirdOctet) {
        return Ipv4Net.of("172.28." + thirdOctet + ".0/24");
    }

    private static List<Ipv4Net> subnets(Network network) {
        if (network.getIpam() == null || network.getIpam().getConfig() == null) {
            return List.of();
        }
        List<Ipv4Net> result = new ArrayList<>();
        for (Network.Ipam.Config c : network.getIpam().getConfig()) {
            parseQuietly(c.getSubnet()).ifPresent(result::add);
        }
        return result;
    }

    /** An engine-reported IPv4 subnet with any host bits cleared; empty for IPv6 and anything unparsable. */
    private static Optional<Ipv4Net> parseQuietly(String cidr) {
        if (cidr == null || !cidr.contains("/")) {
            return Optional.empty();
        }
        int slash = cidr.indexOf('/');
        try {
            int bits = Integer.parseInt(cidr.substring(slash + 1).strip());
            return Ipv4Address.parse(cidr.substring(0, slash).strip())
                    .filter(a -> bits >= 0 && bits <= 32)
                    .map(a -> new Ipv4Net(new Ipv4Address(a.bits() & Ipv4Net.mask(bits)), bits));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode template() {
        try (InputStream in = MeshConfigs.class.getResourceAsStream(TEMPLATE)) {
            Objects.requireNonNull(in, "resource io/pgmesh/junit/" + TEMPLATE + " is missing from pgmesh-junit");
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in config", e);
        }
    }
}
