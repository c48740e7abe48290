package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.pgmesh.orchestrator.config.JsonWalker.child;
import static io.pgmesh.orchestrator.config.JsonWalker.index;
import static io.pgmesh.orchestrator.config.JsonWalker.printable;

/** Reads and checks {@code system.networks}; the network half of {@link SysConfigLoader}'s rules. */
final class NetworkReader {

    static final int MIN_NETBITS = 8;
    static final int MAX_NETBITS = 30;
    /** With several parts, nodes take their addresses from the part with this id. */
    static final String NODE_PART = "nodes";

    private static final Pattern DOCKER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern PART_ID = Pattern.compile("[a-zA-Z0-9_.-]{1,63}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final JsonWalker w;

    NetworkReader(JsonWalker walker) {
        this.w = walker;
    }

    /**
     * @param ids      every valid network id found (to check system.config.network)
     * @param idFailed whether some network's id could not be read (it may be the selected one)
     * @param networks the networks read without problems
     */
    record Result(List<String> ids, boolean idFailed, List<NetworkConfig> networks) {
    }

    Result read(ArrayNode array, String path) {
        List<String> ids = new ArrayList<>();
        List<NetworkConfig> networks = new ArrayList<>();
        if (array == null) {
            return new Result(ids, false, networks);
        }
        if (array.isEmpty()) {
            w.problem(path, "must list at least one network");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String at = index(path, i);
            int before = w.count();
            ObjectNode obj = w.object(array.get(i), at, List.of("id", "config"));
            String id = networkId(obj, at);
            if (id != null) {
                ids.add(id);
                Integer first = seen.putIfAbsent(id, i);
                if (first != null) {
                    w.problem(child(at, "id"), "duplicate network id '" + id + "' (also " + index(path, first) + ")");
                }
            }
            NetworkConfig network = obj == null ? null : network(obj, at, id);
            if (network != null && w.count() == before) {
                networks.add(network);
            }
        }
        boolean idFailed = false;
        for (int i = 0; i < array.size(); i++) {
            idFailed |= w.failedAtOrAbove(child(index(path, i), "id"));
        }
        return new Result(ids, idFailed, networks);
    }

    private String networkId(ObjectNode obj, String path) {
        String id = w.string(obj, path, "id", obj != null);
        if (id != null && !DOCKER_NAME.matcher(id).matches()) {
            w.problem(child(path, "id"), "'" + printable(id) + "' is not a valid Docker network name (letters,"
                    + " digits, '_', '.' and '-', starting with a letter or digit, at most 63 characters)");
            return null;
        }
        return id;
    }

    /** The network, or null when any part of it has a problem. */
    private NetworkConfig network(ObjectNode obj, String path, String id) {
        int before = w.count();
        String configPath = child(path, "config");
        ObjectNode config = w.objectField(obj, path, "config", true, List.of("net", "scale", "wal"));
        String scalePath = child(configPath, "scale");
        ScaleConfig scale = scale(w.objectField(config, configPath, "scale", true, List.of("min_nodes", "max_nodes")),
                scalePath);
        WalConfig wal = wal(w.objectField(config, configPath, "wal", false, List.of("max_slot_keep_mb")),
                child(configPath, "wal"));
        String netPath = child(configPath, "net");
        ObjectNode net = w.objectField(config, configPath, "net", true, List.of("ipv4", "domain", "parts"));
        String domain = domain(net, netPath);
        String ipPath = child(netPath, "ipv4");
        ObjectNode ip = w.objectField(net, netPath, "ipv4", true,
                List.of("subnet", "netmask", "netbits", "gateway", "hostaddress"));
        Ipv4Net subnet = subnet(ip, ipPath);
        Ipv4Address gateway = hostIn(subnet, w.address(ip, ipPath, "gateway", ip != null), child(ipPath, "gateway"));
        Ipv4Address host = hostIn(subnet, w.address(ip, ipPath, "hostaddress", false), child(ipPath, "hostaddress"));
        String partsPath = child(netPath, "parts");
        List<AddressRange> parts = parts(w.arrayField(net, netPath, "parts", net != null), partsPath,
                subnet, gateway, host);
        AddressRange nodes = nodeRange(parts, partsPath, scale);
        if (w.count() != before || id == null) {
            return null;
        }
        return new NetworkConfig(id, subnet, gateway, Optional.ofNullable(host), Optional.ofNullable(domain),
                parts, nodes, scale, wal, child(ipPath, "subnet"));
    }

    /** Absent: the defaults. */
    private WalConfig wal(ObjectNode obj, String path) {
        if (obj == null) {
            return WalConfig.defaults();
        }
        Integer keep = w.integer(obj, path, "max_slot_keep_mb", false);
        if (keep == null) {
            return WalConfig.defaults();
        }
        if (keep < WalConfig.MIN_MAX_SLOT_KEEP_MB || keep > WalConfig.MAX_MAX_SLOT_KEEP_MB) {
            w.problem(child(path, "max_slot_keep_mb"), "must be in " + WalConfig.MIN_MAX_SLOT_KEEP_MB + ".."
                    + WalConfig.MAX_MAX_SLOT_KEEP_MB + " (MiB), got " + keep);
            return WalConfig.defaults();
        }
        return new WalConfig(keep);
    }

    private ScaleConfig scale(ObjectNode obj, String path) {
        Integer min = w.integer(obj, path, "min_nodes", obj != null);
        Integer max = w.integer(obj, path, "max_nodes", obj != null);
        if (min != null && min < 1) {
            w.problem(child(path, "min_nodes"), "must be >= 1 (got " + min + ")");
            min = null;
        }
        if (max != null && max > SysConfigLoader.MAX_NODES) {
            w.problem(child(path, "max_nodes"), "must be <= " + SysConfigLoader.MAX_NODES + " (got " + max + ")");
            return null;
        }
        if (max != null && min != null && max < min) {
            w.problem(child(path, "max_nodes"), "must be >= min_nodes (" + min + ")");
            return null;
        }
        if (max != null && max < 1) {
            w.problem(child(path, "max_nodes"), "must be >= 1 (got " + max + ")");
            return null;
        }
        return min == null || max == null ? null : new ScaleConfig(min, max);
    }

    private String domain(ObjectNode net, String path) {
        String domain = w.string(net, path, "domain", false);
        if (domain != null && !DOMAIN.matcher(domain).matches()) {
            w.problem(child(path, "domain"), "'" + printable(domain) + "' is not a valid DNS domain (lower-case"
                    + " labels of letters, digits and '-', separated by '.')");
            return null;
        }
        return domain;
    }

    private Ipv4Net subnet(ObjectNode ip, String path) {
        Ipv4Address address = w.address(ip, path, "subnet", ip != null);
        Ipv4Address netmask = w.address(ip, path, "netmask", false);
        Integer bits = w.integer(ip, path, "netbits", ip != null);
        if (bits != null && (bits < MIN_NETBITS || bits > MAX_NETBITS)) {
            w.problem(child(path, "netbits"), bits + " is out of range (" + MIN_NETBITS + ".." + MAX_NETBITS + ")");
            return null;
        }
        if (bits == null) {
            return null;
        }
        if (netmask != null && netmask.bits() != Ipv4Net.mask(bits)) {
            w.problem(child(path, "netmask"), netmask + " does not match netbits " + bits + " (expected "
                    + new Ipv4Address(Ipv4Net.mask(bits)) + ")");
        }
        if (address == null) {
            return null;
        }
        if ((address.bits() & ~Ipv4Net.mask(bits)) != 0) {
            w.problem(child(path, "subnet"), address + " has host bits set for /" + bits + " (the network address is "
                    + new Ipv4Address(address.bits() & Ipv4Net.mask(bits)) + ")");
            return null;
        }
        Ipv4Net subnet = new Ipv4Net(address, bits);
        if (subnet.overlaps(Ipv4Net.DOCKER0)) {
            w.problem(child(path, "subnet"), subnet + " overlaps Docker's default bridge docker0 (" + Ipv4Net.DOCKER0 + ")");
        }
        return subnet;
    }

    /** {@code address} if it is a usable host address of {@code subnet}; null (problem recorded) otherwise. */
    private Ipv4Address hostIn(Ipv4Net subnet, Ipv4Address address, String path) {
        if (subnet == null || address == null) {
            return address;
        }
        Optional<String> problem = hostProblem(subnet, address);
        problem.ifPresent(p -> w.problem(path, p));
        return problem.isPresent() ? null : address;
    }

    private static Optional<String> hostProblem(Ipv4Net subnet, Ipv4Address address) {
        if (!subnet.contains(address)) {
            return Optional.of(address + " is outside the subnet " + subnet);
        }
        if (address.equals(subnet.first())) {
            return Optional.of(address + " is the network address of " + subnet);
        }
        if (address.equals(subnet.last())) {
            return Optional.of(address + " is the broadcast address of " + subnet);
        }
        return Optional.empty();
    }

    /** One entry per JSON element, null where the part has a problem. */
    private List<AddressRange> parts(ArrayNode array, String path, Ipv4Net subnet, Ipv4Address gateway,
                                     Ipv4Address host) {
        List<AddressRange> parts = new ArrayList<>();
        if (array == null) {
            return parts;
        }
        if (array.isEmpty()) {
            w.problem(path, "must list at least one part");
        }
        for (int i = 0; i < array.size(); i++) {
            String at = index(path, i);
            AddressRange part = part(array.get(i), at, subnet);
            parts.add(part);
            if (part == null) {
                continue;
            }
            String rangePath = child(at, "ipv4");
            if (gateway != null && part.contains(gateway)) {
                w.problem(rangePath, "range " + part.start() + ".." + part.end() + " contains the gateway " + gateway);
            }
            if (host != null && !host.equals(gateway) && part.contains(host)) {
                w.problem(rangePath, "range " + part.start() + ".." + part.end() + " contains the hostaddress " + host);
            }
            for (AddressRange other : parts.subList(0, i)) {
                if (other == null) {
                    continue;
                }
                if (other.id().equals(part.id())) {
                    w.problem(child(at, "id"), "duplicate part id '" + part.id() + "'");
                } else if (other.overlaps(part)) {
                    w.problem(rangePath, "range " + part.start() + ".." + part.end() + " overlaps part '" + other.id() + "'");
                }
            }
        }
        return parts;
    }

    private AddressRange part(JsonNode node, String path, Ipv4Net subnet) {
        ObjectNode obj = w.object(node, path, List.of("id", "ipv4"));
        String id = w.string(obj, path, "id", obj != null);
        if (id != null && !PART_ID.matcher(id).matches()) {
            w.problem(child(path, "id"), "'" + printable(id) + "' is not a valid part id (letters, digits, '_', '.'"
                    + " and '-', at most 63 characters)");
            id = null;
        }
        String ipPath = child(path, "ipv4");
        ObjectNode ip = w.objectField(obj, path, "ipv4", obj != null, List.of("start", "end"));
        Ipv4Address start = hostIn(subnet, w.address(ip, ipPath, "start", ip != null), child(ipPath, "start"));
        Ipv4Address end = hostIn(subnet, w.address(ip, ipPath, "end", ip != null), child(ipPath, "end"));
        if (start == null || end == null) {
            return null;
        }
        if (start.compareTo(end) > 0) {
            w.problem(child(ipPath, "end"), end + " is before start " + start);
            return null;
        }
        return id == null ? null : new AddressRange(id, start, end);
    }

    private AddressRange nodeRange(List<AddressRange> parts, String path, ScaleConfig scale) {
        if (parts.isEmpty()) {
            return null;
        }
        int at = 0;
        if (parts.size() > 1) {
            at = indexOf(parts, NODE_PART);
            if (at < 0 && parts.contains(null)) {
                return null; // a part with a problem may be the one
            }
            if (at < 0) {
                w.problem(path, "no part with id '" + NODE_PART + "' (with several parts, nodes get their addresses"
                        + " from the part named '" + NODE_PART + "')");
                return null;
            }
        }
        AddressRange range = parts.get(at);
        if (range != null && scale != null && range.size() < scale.maxNodes()) {
            w.problem(child(index(path, at), "ipv4"), "range " + range.start() + ".." + range.end() + " has "
                    + range.size() + " addresses, fewer than max_nodes (" + scale.maxNodes() + ")");
        }
        return range;
    }

    private static int indexOf(List<AddressRange> parts, String id) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) != null && parts.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
